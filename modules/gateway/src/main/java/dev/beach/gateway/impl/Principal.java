package dev.beach.gateway.impl;

/** Who is calling: the admin (or anyone, on an open gateway) or the holder of one realm's token. */
public final class Principal {

  /** A gateway without tokens trusts every caller: it only binds to loopback. */
  public static final Principal OPEN = new Principal(true, null, "http:open");
  public static final Principal ADMIN = new Principal(true, null, "http:admin");
  /** A caller without a valid token on a public route of a gateway that has tokens. */
  public static final Principal ANONYMOUS = new Principal(false, null, "http:anonymous");

  private final boolean admin;
  private final String realm;
  private final String ident;

  private Principal(boolean admin, String realm, String ident) {
    this.admin = admin;
    this.realm = realm;
    this.ident = ident;
  }

  public static Principal realm(String realm) {
    return new Principal(false, realm, "http:realm:" + realm);
  }

  public boolean admin() {
    return admin;
  }

  /** The realm a realm token is for; null for the admin. */
  public String realm() {
    return realm;
  }

  public boolean mayUse(String realm) {
    return admin || this.realm != null && this.realm.equals(realm);
  }

  /** The caller identity sent with each request ({@code ident} header), so actors can tell callers apart. */
  public String ident() {
    return ident;
  }
}
