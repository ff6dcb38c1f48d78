// DOM building without HTML strings. Every piece of data reaches the page as a text node or an attribute
// value set through the DOM API, so actor ids, error messages and event bodies can never become markup.

/**
 * Creates an element. `attrs` keys: `class`, `text`, `on` ({event: handler}), `dataset`, `style` (object),
 * boolean properties (`disabled`, `checked`, `hidden`, ...) and any other attribute (set with setAttribute).
 * Children: strings and numbers become text nodes; null, undefined and false are skipped; arrays are flattened.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  let pendingValue;
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) {
        continue;
      }
      if (key === 'class') {
        el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      } else if (key === 'text') {
        el.textContent = String(value);
      } else if (key === 'on') {
        for (const [event, handler] of Object.entries(value)) {
          el.addEventListener(event, handler);
        }
      } else if (key === 'dataset') {
        Object.assign(el.dataset, value);
      } else if (key === 'style') {
        Object.assign(el.style, value);
      } else if (key === 'value' && ('value' in el)) {
        // Set after the children: a <select>'s value needs its options.
        pendingValue = value;
      } else if (value === true) {
        el.setAttribute(key, '');
        if (key in el) {
          el[key] = true;
        }
      } else {
        el.setAttribute(key, String(value));
      }
    }
  }
  append(el, children);
  if (pendingValue !== undefined) {
    el.value = pendingValue;
  }
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(el, child);
    } else if (child instanceof Node) {
      el.appendChild(child);
    } else {
      el.appendChild(document.createTextNode(String(child)));
    }
  }
}

/** Replaces all children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Sets the text of `el` only when it changed, so screen readers and selections are not disturbed. */
export function setText(el, text) {
  const s = String(text);
  if (el.textContent !== s) {
    el.textContent = s;
  }
}

/** A hash link inside the dashboard: `path` segments are encoded one by one. */
export function link(segments, label, attrs = {}) {
  return h('a', { href: hashOf(segments), ...attrs }, label);
}

/** `#/a/b?x=y` from ['a', 'b'] and {x: 'y'}; segments and values are URI-encoded. */
export function hashOf(segments, query) {
  const path = '#/' + segments.map((s) => encodeURIComponent(String(s))).join('/');
  if (!query) {
    return path;
  }
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, String(v));
    }
  }
  const text = q.toString();
  return text ? path + '?' + text : path;
}

/** A labelled form field: <label for> + control, with an optional hint linked by aria-describedby. */
export function field(label, control, hint) {
  const id = control.id || (control.id = uid('f'));
  const parts = [h('label', { for: id }, label), control];
  if (hint) {
    const hintId = id + '-hint';
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('small', { id: hintId, class: 'hint' }, hint));
  }
  return h('div', { class: 'field' }, parts);
}

let counter = 0;
/** A page-unique id for label/control pairs. */
export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}
