package dev.beach.impl.hosting;

import dev.beach.Actor;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.spi.ActorFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ConcurrentHashMap;

/** The default {@link ActorFactory}: actor classes from the node's own classpath, in every realm. */
public final class ClasspathActorFactory implements ActorFactory {

  private final ClassLoader loader;
  private final ConcurrentHashMap<String, Constructor<? extends Actor>> constructors = new ConcurrentHashMap<>();

  public ClasspathActorFactory() {
    this(ClasspathActorFactory.class.getClassLoader());
  }

  public ClasspathActorFactory(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  public Actor create(String realm, String className) {
    Constructor<? extends Actor> ctor = constructors.computeIfAbsent(className, n -> resolve(realm, n));
    try {
      return ctor.newInstance();
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new BeachException(ErrorCode.ACTOR_FAILED, "constructor of " + className + " threw " + cause);
    } catch (ReflectiveOperationException e) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "cannot create " + className + ": " + e);
    }
  }

  /** Finds the class and its no-argument constructor, or says exactly what is wrong with it. */
  public static Constructor<? extends Actor> constructorOf(String realm, String className, ClassLoader loader) {
    Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new BeachException(ErrorCode.NOT_FOUND, "class " + className + " not found in realm '" + realm + "'")
        .locate(realm, null, null, null, null).withDetail("class", className);
    }
    if (!Actor.class.isAssignableFrom(type)) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "class " + className + " is not an actor: it must extend " + Actor.class.getName());
    }
    if (java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "class " + className + " is abstract");
    }
    try {
      @SuppressWarnings("unchecked")
      Constructor<? extends Actor> ctor = (Constructor<? extends Actor>) type.getDeclaredConstructor();
      ctor.setAccessible(true);
      return ctor;
    } catch (NoSuchMethodException e) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "class " + className + " needs a public no-argument constructor");
    }
  }

  private Constructor<? extends Actor> resolve(String realm, String className) {
    return constructorOf(realm, className, loader);
  }
}
