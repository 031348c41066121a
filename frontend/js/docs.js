// The API reference, rendered from /api/openapi.json: endpoints grouped by tag with their parameters,
// request and response schemas, and a "try it" form that sends the request with the signed-in token.
import { api, clearSession, getToken, rememberAccount } from './api.js';
import { $, errorNotice, h, renderTopbar, startPublicPage } from './shell.js';
import { roleName, t } from './i18n.js';

startPublicPage({ signIn: '/login?next=%2Fdocs' });

let doc = null;
let account = null;
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

// ---------------------------------------------------------------- text

/** Plain text with `code` spans and paragraphs, never HTML. */
function rich(text, tag = 'p') {
  if (!text) return null;
  return String(text).split(/\n{2,}/).map((para) => {
    const el = h(tag, {});
    para.split(/(`[^`]+`)/).forEach((part) => {
      if (part.startsWith('`') && part.endsWith('`') && part.length > 1) el.append(h('code', {}, part.slice(1, -1)));
      else if (part) el.append(part);
    });
    return el;
  });
}

// ---------------------------------------------------------------- schemas

function refName(ref) {
  return ref.split('/').pop();
}

function resolve(schema) {
  if (schema && schema.$ref) {
    const name = refName(schema.$ref);
    return (doc.components && doc.components.schemas && doc.components.schemas[name]) || {};
  }
  return schema || {};
}

function types(schema) {
  if (!schema) return [];
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  return [];
}

/** A short type label: "string (uuid)", "AccountSummary[]", "string | null", "enum: a, b". */
function typeLabel(schema, depth = 0) {
  if (!schema || depth > 6) return 'any';
  if (schema.$ref) return refName(schema.$ref);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const alts = schema.oneOf || schema.anyOf;
  if (alts) return alts.map((s) => typeLabel(s, depth + 1)).join(' | ');
  if (schema.allOf) return schema.allOf.map((s) => typeLabel(s, depth + 1)).join(' & ');
  const ts = types(schema);
  if (ts.length === 0) return schema.properties ? 'object' : 'any';
  return ts.map((ty) => {
    if (ty === 'array') return typeLabel(schema.items, depth + 1) + '[]';
    if (schema.format && ty !== 'null') return `${ty} (${schema.format})`;
    return ty;
  }).join(' | ');
}

/** The object schema behind a schema (through $ref, arrays, nullable alternatives), if any. */
function objectBehind(schema, seen) {
  let s = schema;
  for (let i = 0; i < 6 && s; i += 1) {
    if (s.$ref) {
      const name = refName(s.$ref);
      if (seen.has(name)) return null;
      s = resolve(s);
      continue;
    }
    if (s.allOf) {
      const merged = { type: 'object', properties: {}, required: [] };
      for (const part of s.allOf) {
        const o = objectBehind(part, seen);
        if (o) {
          Object.assign(merged.properties, o.properties || {});
          merged.required.push(...(o.required || []));
        }
      }
      return merged;
    }
    const alts = s.oneOf || s.anyOf;
    if (alts) {
      const nonNull = alts.filter((a) => !(types(a).length === 1 && types(a)[0] === 'null'));
      if (nonNull.length !== 1) return null;
      s = nonNull[0];
      continue;
    }
    if (types(s).includes('array')) {
      s = s.items;
      continue;
    }
    return s.properties ? s : null;
  }
  return null;
}

function refsIn(schema, out = new Set(), depth = 0) {
  if (!schema || depth > 6) return out;
  if (schema.$ref) out.add(refName(schema.$ref));
  for (const k of ['oneOf', 'anyOf', 'allOf']) for (const s of schema[k] || []) refsIn(s, out, depth + 1);
  if (schema.items) refsIn(schema.items, out, depth + 1);
  return out;
}

/** A nested list of an object schema's properties. */
function schemaTree(schema, seen = new Set(), depth = 0) {
  const obj = objectBehind(schema, seen);
  if (!obj || depth > 4) return null;
  const nextSeen = new Set([...seen, ...refsIn(schema)]);
  const required = new Set(obj.required || []);
  return h('ul', {}, Object.entries(obj.properties || {}).map(([name, prop]) => {
    const desc = prop.description || resolve(prop).description;
    return h('li', {},
      h('span', { class: 'prop' }, name),
      required.has(name) ? h('span', { class: 'req', title: t('docs.param.required') }, '*') : null,
      ': ', h('span', { class: 'type' }, typeLabel(prop)),
      desc ? [' ', h('span', { class: 'desc' }, '· ' + desc)] : null,
      schemaTree(prop, nextSeen, depth + 1));
  }));
}

function schemaBlock(schema, shown = new Set()) {
  const again = schema.$ref && shown.has(schema.$ref);
  if (schema.$ref) shown.add(schema.$ref);
  const tree = again ? null : schemaTree(schema);
  const label = typeLabel(schema);
  const resolved = resolve(schema);
  return h('div', { class: 'schema' },
    h('div', {}, h('span', { class: 'type' }, label),
      schema.$ref && resolved.description ? [' ', h('span', { class: 'desc' }, '· ' + resolved.description)] : null,
      again ? [' ', h('span', { class: 'desc' }, t('docs.seeAbove'))] : null),
    tree);
}

/** A plausible example value for a schema, to prefill request bodies. */
function example(schema, depth = 0, seen = new Set()) {
  if (!schema || depth > 5) return null;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.$ref) {
    const name = refName(schema.$ref);
    if (seen.has(name)) return {};
    return example(resolve(schema), depth + 1, new Set([...seen, name]));
  }
  if (schema.enum) return schema.enum[0];
  const alts = schema.oneOf || schema.anyOf;
  if (alts) {
    const pick = alts.find((a) => !(types(a).length === 1 && types(a)[0] === 'null')) || alts[0];
    return example(pick, depth + 1, seen);
  }
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => example(s, depth + 1, seen)));
  const ty = types(schema).filter((x) => x !== 'null')[0] || (schema.properties ? 'object' : 'string');
  switch (ty) {
    case 'object': {
      const out = {};
      for (const [k, v] of Object.entries(schema.properties || {})) out[k] = example(v, depth + 1, seen);
      return out;
    }
    case 'array':
      return [example(schema.items, depth + 1, seen)];
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    default:
      if (schema.format === 'uuid') return '00000000-0000-0000-0000-000000000000';
      if (schema.format === 'date-time') return new Date().toISOString();
      return '';
  }
}

// ---------------------------------------------------------------- operations

function opId(method, path) {
  return 'op-' + method + '-' + path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function paramsTable(params) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('docs.param.name')), h('th', { scope: 'col' }, t('docs.param.in')),
      h('th', { scope: 'col' }, t('docs.param.type')), h('th', { scope: 'col' }, t('docs.param.required')),
      h('th', { scope: 'col' }, t('docs.param.description')))),
    h('tbody', {}, params.map((p) => h('tr', {},
      h('td', { class: 'mono' }, p.name), h('td', {}, p.in), h('td', { class: 'mono' }, typeLabel(p.schema)),
      h('td', {}, p.required ? t('docs.yes') : t('docs.no')), h('td', {}, p.description || ''))))));
}

function bodyContent(content, shown) {
  return Object.entries(content || {}).map(([type, media]) => h('div', {},
    h('p', { class: 'small muted' }, type),
    media.schema ? schemaBlock(media.schema, shown) : h('p', { class: 'muted' }, t('docs.noschema'))));
}

function responsesList(responses, shown) {
  return h('ul', { class: 'responses' }, Object.entries(responses || {}).map(([code, r]) => {
    const res = r.$ref ? resolve(r) : r;
    return h('li', {},
      h('span', { class: 'status ' + (code.startsWith('2') ? 'status-ok' : 'status-err') }, code), ' ',
      res.description || '',
      bodyContent(res.content, shown));
  }));
}

function tryForm(method, path, op, params) {
  const id = opId(method, path);
  const inputs = params.filter((p) => p.in === 'path' || p.in === 'query').map((p) => {
    const inputId = `${id}-${p.in}-${p.name}`;
    return h('div', { class: 'field' },
      h('label', { for: inputId }, `${p.name} (${p.in})`, p.required ? h('span', { class: 'req' }, ' *') : null),
      h('input', { id: inputId, type: 'text', dataset: { name: p.name, in: p.in }, required: p.required ? true : null, spellcheck: 'false' }));
  });
  let bodyArea = null;
  if (op.requestBody) {
    const media = op.requestBody.content && (op.requestBody.content['application/json'] || Object.values(op.requestBody.content)[0]);
    const ex = media && media.schema ? example(media.schema) : {};
    bodyArea = h('textarea', { id: `${id}-body`, rows: 6, spellcheck: 'false', 'aria-label': t('docs.bodyLabel') });
    bodyArea.value = JSON.stringify(ex ?? {}, null, 2);
    bodyArea = h('div', { class: 'field' }, h('label', { for: `${id}-body` }, t('docs.bodyLabel')), bodyArea);
  }
  const result = h('div', { class: 'try-result', 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'btn btn-primary try-send' }, t('docs.send'));
  const form = h('form', { class: 'try', novalidate: true },
    h('h4', {}, t('docs.try')), inputs, bodyArea, send, result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    let url = path;
    const query = new URLSearchParams();
    for (const input of form.querySelectorAll('input[data-name]')) {
      const v = input.value.trim();
      if (input.dataset.in === 'path') url = url.replace(`{${input.dataset.name}}`, encodeURIComponent(v));
      else if (v !== '') query.set(input.dataset.name, v);
    }
    const qs = query.toString();
    if (qs) url += '?' + qs;
    const headers = { Accept: 'application/json, */*' };
    const token = getToken();
    if (token) headers.Authorization = 'Bearer ' + token;
    let body;
    const textarea = form.querySelector('textarea');
    if (textarea) {
      body = textarea.value;
      headers['Content-Type'] = 'application/json';
    }
    send.disabled = true;
    send.textContent = t('docs.sending');
    const started = performance.now();
    try {
      const res = await fetch(url, { method: method.toUpperCase(), headers, body });
      const ms = Math.round(performance.now() - started);
      const type = res.headers.get('content-type') || '';
      let shown;
      if (type.startsWith('image/') || type.startsWith('application/octet-stream')) {
        const blob = await res.blob();
        shown = t('docs.binary', { type, size: blob.size });
      } else {
        const text = await res.text();
        shown = text;
        if (type.includes('json') && text) {
          try {
            shown = JSON.stringify(JSON.parse(text), null, 2);
          } catch {
            /* not JSON after all: show as is */
          }
        }
      }
      result.replaceChildren(
        h('p', {}, `${t('docs.status')}: `,
          h('span', { class: 'status try-status ' + (res.ok ? 'status-ok' : 'status-err') }, `${res.status} ${res.statusText}`),
          h('span', { class: 'muted small' }, ` · ${method.toUpperCase()} ${url} · ${ms} ms`)),
        h('pre', { class: 'try-body' }, shown || '(—)'));
    } catch (err) {
      result.replaceChildren(errorNotice({ code: 'network', message: String(err) }));
    } finally {
      send.disabled = false;
      send.textContent = t('docs.send');
    }
  });
  return form;
}

function operation(method, path, op, pathItem) {
  const params = [...(pathItem.parameters || []), ...(op.parameters || [])].map((p) => (p.$ref ? resolve(p) : p));
  const secured = (op.security || doc.security || []).some((s) => Object.keys(s).length > 0);
  const shown = new Set();
  const details = h('details', { class: 'op', id: opId(method, path), dataset: { method, path } },
    h('summary', {},
      h('span', { class: `method method-${method}` }, method.toUpperCase()),
      h('span', { class: 'op-path' }, path),
      op.summary ? h('span', { class: 'op-summary' }, op.summary) : null,
      secured ? h('span', { class: 'badge badge-muted lock' }, t('docs.secured')) : null),
    h('div', { class: 'op-body' },
      rich(op.description),
      params.length ? [h('h4', {}, t('docs.params')), paramsTable(params)] : null,
      op.requestBody ? [h('h4', {}, t('docs.body')), rich(op.requestBody.description), bodyContent(op.requestBody.content, shown)] : null,
      h('h4', {}, t('docs.responses')), responsesList(op.responses, shown),
      tryForm(method, path, op, params)));
  return details;
}

function render() {
  if (!doc) return;
  const info = doc.info || {};
  $('#api-info').replaceChildren(h('section', { class: 'card' },
    h('h2', {}, `${info.title || 'API'} ${info.version ? '· ' + info.version : ''}`),
    rich(info.description)));

  const groups = new Map();
  for (const tag of doc.tags || []) groups.set(tag.name, { tag, ops: [] });
  let count = 0;
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      count += 1;
      const tag = (op.tags && op.tags[0]) || 'other';
      if (!groups.has(tag)) groups.set(tag, { tag: { name: tag }, ops: [] });
      groups.get(tag).ops.push([method, path, op, item]);
    }
  }
  const used = [...groups.values()].filter((g) => g.ops.length);
  const open = new Set([...document.querySelectorAll('details.op[open]')].map((d) => d.id));
  $('#api-toc').replaceChildren(
    h('p', { class: 'muted', id: 'endpoint-count' }, t('docs.count', { n: count, g: used.length })),
    h('ul', { class: 'toc' }, used.map((g) => h('li', {}, h('a', { class: 'btn btn-small', href: '#tag-' + g.tag.name.replace(/\W+/g, '-') }, `${g.tag.name} (${g.ops.length})`)))));
  $('#api-groups').replaceChildren(...used.map((g) => h('section', { class: 'api-group', id: 'tag-' + g.tag.name.replace(/\W+/g, '-'), dataset: { tag: g.tag.name } },
    h('h2', {}, g.tag.name),
    g.tag.description ? h('p', { class: 'muted' }, g.tag.description) : null,
    g.ops.map(([m, p, op, item]) => operation(m, p, op, item)))));
  for (const id of open) {
    const d = document.getElementById(id);
    if (d) d.open = true;
  }
}

function renderAuth() {
  const box = $('#auth-state');
  if (account) {
    box.replaceChildren(h('div', { class: 'notice notice-info', id: 'docs-signed-in' },
      h('p', {}, t('docs.auth.in', { email: account.email, role: roleName(account.role) }))));
  } else {
    box.replaceChildren(h('div', { class: 'notice notice-warn', id: 'docs-signed-out' },
      h('p', {}, t('docs.auth.out'), ' ', h('a', { href: '/login?next=%2Fdocs' }, t('nav.signin')))));
  }
}

async function start() {
  if (getToken()) {
    try {
      account = await api('/api/v1/auth/me', { redirectOn401: false });
      rememberAccount(account);
    } catch (err) {
      if (err.status === 401) clearSession();
      account = null;
    }
  }
  renderTopbar(account);
  renderAuth();
  try {
    doc = await api('/api/openapi.json', { auth: false });
    render();
  } catch (err) {
    $('#api-groups').replaceChildren(errorNotice(err));
  }
  document.addEventListener('langchange', () => {
    renderAuth();
    render();
  });
}

start();
