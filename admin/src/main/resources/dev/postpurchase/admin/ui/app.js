// Postpurchase admin page. Plain JavaScript, no dependencies. Every value from the server is put into the page as
// text (textContent / text nodes), never parsed as HTML.
'use strict';
(function () {
  const state = { session: null, types: null };
  const main = document.getElementById('main');

  // ---- DOM helpers: children that are strings become text nodes
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.substring(2), v);
        else if (k === 'checked' || k === 'disabled' || k === 'value' || k === 'selected') node[k] = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  const text = (v) => (v === null || v === undefined ? '' : String(v));
  const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');
  const statusBadge = (run) => el('span', { class: 'status ' + run.status, 'data-status': run.status },
    run.awaitingRetry ? 'WAITING FOR RETRY' : run.status);

  function flash(message, bad) {
    const f = document.getElementById('flash');
    f.textContent = message;
    f.className = 'flash' + (bad ? ' bad' : '');
    f.hidden = false;
    clearTimeout(flash.timer);
    flash.timer = setTimeout(() => { f.hidden = true; }, 6000);
  }

  // ---- API
  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.error) || ('HTTP ' + status));
      this.status = status;
      this.violations = (body && body.violations) || [];
    }
  }
  async function api(method, path, params, body) {
    const qs = params ? '?' + new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== null && v !== undefined)).toString() : '';
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (method !== 'GET') {
      init.headers['Content-Type'] = 'application/json';
      init.headers['X-CSRF-Token'] = state.session ? state.session.csrfToken : '';
      init.body = JSON.stringify(body || {});
    }
    const response = await fetch('api/' + path + qs, init);
    let json = null;
    try { json = await response.json(); } catch (e) { json = null; }
    if (!response.ok) throw new ApiError(response.status, json);
    return json;
  }
  const canOperate = () => state.session && state.session.role === 'OPERATOR';

  // ---- routing
  function parseHash() {
    const h = location.hash.replace(/^#/, '') || '/';
    const [path, query] = h.split('?');
    return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query || '') };
  }
  function go(hash) { if (location.hash === hash) render(); else location.hash = hash; }

  async function render() {
    const { parts, params } = parseHash();
    const page = parts[0] || 'overview';
    for (const a of document.querySelectorAll('#nav a')) {
      let key = page;
      if (page === 'runs') key = params.get('status') === 'FAILED' ? 'failed' : params.get('status') === 'AWAITING_RETRY' ? 'waiting' : 'runs';
      a.classList.toggle('active', a.dataset.nav === key);
    }
    try {
      if (page === 'overview') await overview();
      else if (page === 'runs') await runs(params);
      else if (page === 'stale') await stale();
      else if (page === 'order') await order(parts[1]);
      else if (page === 'run') await runPage(parts[1]);
      else if (page === 'definitions') await definitions(params);
      else if (page === 'definition') await definitionEditor(parts[1], params);
      else if (page === 'subscriptions') await subscriptions();
      else if (page === 'integrations') await integrations();
      else main.replaceChildren(el('p', null, 'No such page.'));
    } catch (e) {
      showError(e);
    }
  }
  function showError(e) {
    if (e instanceof ApiError && e.status === 401) {
      main.replaceChildren(el('h1', null, 'Not signed in'), el('p', null, 'Sign in to the shop administration first.'));
    } else {
      main.replaceChildren(el('h1', null, 'Something went wrong'), el('p', { class: 'errors' }, text(e.message)));
    }
  }

  // ---- overview
  async function overview() {
    const c = await api('GET', 'overview');
    const card = (label, n, href, bad) => el('a', { class: 'card' + (bad && n > 0 ? ' bad' : ''), href, 'data-count': label },
      el('span', { class: 'n' }, String(n)), label);
    main.replaceChildren(
      el('h1', null, 'Overview'),
      el('div', { class: 'cards', id: 'overview' },
        card('Failed', c.failed, '#/runs?status=FAILED', true),
        card('Waiting for retry', c.awaitingRetry, '#/runs?status=AWAITING_RETRY', false),
        card('Pending', c.pending, '#/runs?status=PENDING', false),
        card('Running', c.running, '#/runs?status=RUNNING', false),
        card('Stale', c.stale, '#/stale', true)),
      el('p', { class: 'muted' }, 'Succeeded actions are not counted; find them under All runs or in an order.'));
  }

  // ---- run lists
  function runTable(list, opts) {
    opts = opts || {};
    const rows = list.map((r) => el('tr', { 'data-run': r.id },
      el('td', null, when(r.createdAt)),
      el('td', null, r.triggerKind === 'ORDER'
        ? el('a', { href: '#/order/' + encodeURIComponent(r.triggerId) }, r.triggerId)
        : el('span', null, 'event ', r.triggerId)),
      el('td', null, el('a', { href: '#/run/' + encodeURIComponent(r.id), class: 'run-link' }, r.name)),
      el('td', null, r.type),
      el('td', null, statusBadge(r)),
      el('td', null, String(r.attempts) + (r.totalAttempts !== r.attempts ? ' (' + r.totalAttempts + ' in all)' : '')),
      el('td', null, when(r.nextAttemptAt)),
      el('td', { class: 'err' }, text(r.lastError)),
      el('td', { class: 'row-actions' }, actionButtons(r, opts.after))));
    return el('table', { class: 'runs' },
      el('thead', null, el('tr', null, ['Created', 'Order / event', 'Action', 'Type', 'Status', 'Attempts', 'Next attempt', 'Last error', ''].map((h) => el('th', null, h)))),
      el('tbody', null, rows.length ? rows : el('tr', null, el('td', { colspan: 9, class: 'muted' }, 'Nothing here.'))));
  }
  function actionButtons(run, after) {
    if (!canOperate()) return [];
    const buttons = [el('button', { type: 'button', class: 'rerun', onclick: () => openRerun(run, after) }, 'Re-run…')];
    if (run.awaitingRetry) {
      buttons.push(el('button', { type: 'button', class: 'retry-now', onclick: async () => {
        try { await api('POST', 'run/retry-now', { id: run.id }); flash('Retry brought forward.'); after ? after() : render(); } catch (e) { flash(e.message, true); }
      } }, 'Retry now'));
    }
    return buttons;
  }

  async function runs(params) {
    const filters = { status: params.get('status') || '', type: params.get('type') || '', order: params.get('order') || '',
      from: params.get('from') || '', before: params.get('before') || '' };
    const title = filters.status === 'FAILED' ? 'Failed actions' : filters.status === 'AWAITING_RETRY' ? 'Waiting for a retry' : 'Runs';
    const form = el('form', { class: 'filters', id: 'filters' },
      el('label', null, 'Status', el('select', { name: 'status' },
        ['', 'FAILED', 'AWAITING_RETRY', 'PENDING', 'RUNNING', 'SUCCEEDED'].map((s) => el('option', { value: s, selected: s === filters.status }, s || 'any')))),
      el('label', null, 'Type', el('input', { name: 'type', value: filters.type, placeholder: 'any' })),
      el('label', null, 'Order', el('input', { name: 'order', value: filters.order, placeholder: 'any' })),
      el('label', null, 'Created from', el('input', { name: 'from', type: 'date', value: filters.from })),
      el('label', null, 'Created before', el('input', { name: 'before', type: 'date', value: filters.before })),
      el('button', { type: 'submit' }, 'Filter'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const p = new URLSearchParams();
      for (const [k, v] of new FormData(form).entries()) if (v) p.set(k, v);
      go('#/runs' + (p.toString() ? '?' + p.toString() : ''));
    });
    const container = el('div');
    const bulk = el('div', { class: 'filters' });
    main.replaceChildren(el('h1', null, title), form, bulk, container);
    let cursor = null;
    const more = el('button', { type: 'button', class: 'pager' }, 'More');
    async function load() {
      const page = await api('GET', 'runs', Object.assign({ limit: 50, after: cursor }, filters));
      container.append(runTable(page.runs, { after: render }));
      cursor = page.next;
      if (cursor) container.append(more); else more.remove();
    }
    more.addEventListener('click', async () => { more.remove(); await load(); });
    await load();
    if (canOperate()) {
      if (filters.status === 'AWAITING_RETRY') bulk.append(bulkButton('Retry all now', 'runs/retry-now-all', filters, {}));
      if (filters.status === 'FAILED') bulk.append(bulkButton('Re-run all', 'runs/rerun-all', filters, {}));
    }
  }
  function bulkButton(label, path, filters, options) {
    return el('button', { type: 'button', class: 'bulk', onclick: async () => {
      try {
        const dry = await api('POST', path, filters, Object.assign({ dryRun: true, cap: 500 }, options));
        const n = dry.matched - Object.keys(dry.skipped).length;
        if (!confirm(label + ': ' + n + ' action(s)' + (dry.capped ? ' (capped at 500)' : '') + '. Go ahead?')) return;
        const done = await api('POST', path, filters, Object.assign({ dryRun: false, cap: 500 }, options));
        flash(label + ': ' + done.done + ' done, ' + Object.keys(done.skipped).length + ' skipped.');
        render();
      } catch (e) { flash(e.message, true); }
    } }, label + '…');
  }

  async function stale() {
    const list = await api('GET', 'stale');
    main.replaceChildren(el('h1', null, 'Stale actions'),
      el('p', { class: 'muted' }, 'RUNNING actions whose node stopped renewing its lease. Idempotent ones recover by themselves; force a re-run of the others.'),
      runTable(list, { after: render }));
  }

  // ---- order view
  async function order(orderId) {
    const o = await api('GET', 'order', { id: orderId });
    const hash = location.hash;
    clearTimeout(order.timer);
    if (o.runs.some((r) => r.status === 'PENDING' || r.status === 'RUNNING')) {
      // follow actions under way until they settle, while the order stays on screen and no dialog is open
      order.timer = setTimeout(() => { if (location.hash === hash && !dialog.open) order(orderId).catch(showError); }, 1500);
    }
    main.replaceChildren(
      el('h1', null, 'Order ', el('span', { id: 'order-id' }, o.orderId)),
      el('p', { class: 'muted' }, o.completed ? 'Completed: every action succeeded.' : 'Not completed yet.'),
      el('table', { class: 'runs', id: 'order-runs' },
        el('thead', null, el('tr', null, ['Action', 'Type', 'For', 'Status', 'Attempts', 'Last error', 'Next attempt', 'Result', ''].map((h) => el('th', null, h)))),
        el('tbody', null, o.runs.map((r) => el('tr', { 'data-run': r.id, 'data-name': r.name },
          el('td', null, el('a', { href: '#/run/' + encodeURIComponent(r.id), class: 'run-link' }, r.name)),
          el('td', null, r.type),
          el('td', null, r.triggerKind === 'ORDER' ? 'the order' : 'event ' + r.triggerId),
          el('td', null, statusBadge(r)),
          el('td', null, String(r.attempts)),
          el('td', { class: 'err' }, text(r.lastError)),
          el('td', null, when(r.nextAttemptAt)),
          el('td', null, r.hasResult ? el('a', { href: '#/run/' + encodeURIComponent(r.id) }, 'view') : text(r.skipReason)),
          el('td', { class: 'row-actions' }, actionButtons(r, () => order(orderId))))))));
  }

  // ---- one run
  async function runPage(runId) {
    const r = await api('GET', 'run', { id: runId });
    const kv = (k, v) => [el('dt', null, k), el('dd', null, v)];
    main.replaceChildren(
      el('h1', null, r.name, ' ', statusBadge(r)),
      el('dl', { class: 'kv' },
        kv('Run', r.id),
        kv(r.triggerKind === 'ORDER' ? 'Order' : 'Event', r.triggerKind === 'ORDER'
          ? el('a', { href: '#/order/' + encodeURIComponent(r.triggerId) }, r.triggerId) : r.triggerId),
        kv('Type', r.type), kv('Definition', r.definitionId), kv('Level', r.level + ' ' + r.targetId),
        kv('Attempts', r.attempts + ' (' + r.totalAttempts + ' in all, ' + r.rerunCount + ' manual re-runs)'),
        kv('Next attempt', when(r.nextAttemptAt)), kv('Last error', text(r.lastError)),
        kv('Last status code', text(r.lastStatusCode)), kv('Skipped because', text(r.skipReason)),
        kv('Idempotency key', r.idempotencyKey), kv('Retry policy', text(r.retryPolicy)),
        kv('Running on', text(r.owner) + (r.heartbeatAt ? ' (heartbeat ' + when(r.heartbeatAt) + ')' : '')),
        kv('Created', when(r.createdAt)), kv('Updated', when(r.updatedAt))),
      el('div', { class: 'row-actions', style: null }, actionButtons(r, () => runPage(runId))),
      el('h2', null, 'Result, exactly as received'),
      r.result === null ? el('p', { class: 'muted' }, 'No result recorded.') : el('pre', { class: 'raw', id: 'run-result' }, r.result),
      el('h2', null, 'Attempts'),
      el('table', { id: 'attempts' },
        el('thead', null, el('tr', null, ['Started', 'Duration', 'Outcome', 'Status code', 'Answer or error', 'Node'].map((h) => el('th', null, h)))),
        el('tbody', null, r.history.length ? r.history.map((a) => el('tr', null,
          el('td', null, when(a.startedAt)), el('td', null, a.durationMillis + ' ms'), el('td', null, a.outcome),
          el('td', null, text(a.statusCode)), el('td', null, el('pre', { class: 'raw' }, text(a.excerpt))), el('td', null, a.node)))
          : el('tr', null, el('td', { colspan: 6, class: 'muted' }, 'No attempt yet.')))));
  }

  // ---- re-run dialog
  const dialog = document.getElementById('rerun-dialog');
  let rerunTarget = null;
  function openRerun(run, after) {
    rerunTarget = { run, after };
    document.getElementById('rerun-name').textContent = run.name;
    document.getElementById('rerun-status').textContent = 'Now ' + (run.awaitingRetry ? 'waiting for a retry' : run.status) + ', ' + run.attempts + ' attempt(s).';
    for (const id of ['opt-latest', 'opt-ack', 'opt-force']) document.getElementById(id).checked = false;
    document.getElementById('opt-ack-row').hidden = run.status !== 'SUCCEEDED';
    document.getElementById('opt-force-row').hidden = run.status !== 'RUNNING';
    document.getElementById('rerun-summary').replaceChildren();
    document.getElementById('rerun-confirm').disabled = true;
    dialog.showModal();
    previewRerun();
  }
  function rerunOptions() {
    return { useLatestTemplate: document.getElementById('opt-latest').checked,
      acknowledgeSucceeded: document.getElementById('opt-ack').checked,
      force: document.getElementById('opt-force').checked };
  }
  async function previewRerun() {
    const summary = document.getElementById('rerun-summary');
    const confirmButton = document.getElementById('rerun-confirm');
    confirmButton.disabled = true;
    try {
      const p = await api('POST', 'run/preview', { id: rerunTarget.run.id }, rerunOptions());
      const parts = [];
      parts.push(p.allowed ? el('p', { class: 'ok', id: 'rerun-allowed' }, 'It will be queued again at once with a fresh attempt budget' + (p.newDelivery ? ', as a new delivery with a new idempotency key.' : ', with the same idempotency key.'))
        : el('p', { class: 'blocked', id: 'rerun-blocked' }, 'Not possible: ' + p.blockedBy));
      if (p.warnings.length) parts.push(el('ul', { class: 'warnings' }, p.warnings.map((w) => el('li', null, w))));
      if (rerunOptions().useLatestTemplate) {
        parts.push(p.templateChanges.length
          ? el('table', { id: 'template-changes' }, el('thead', null, el('tr', null, el('th', null, 'Field'), el('th', null, 'Snapshot'), el('th', null, 'Latest template'))),
            el('tbody', null, p.templateChanges.map((c) => el('tr', null, el('td', null, c.field), el('td', null, text(c.before)), el('td', null, text(c.after))))))
          : el('p', { class: 'muted' }, 'The latest template is the same as the snapshot.'));
      }
      summary.replaceChildren(...parts);
      confirmButton.disabled = !p.allowed;
    } catch (e) {
      summary.replaceChildren(el('p', { class: 'blocked' }, e.message));
    }
  }
  for (const id of ['opt-latest', 'opt-ack', 'opt-force']) document.getElementById(id).addEventListener('change', previewRerun);
  document.getElementById('rerun-cancel').addEventListener('click', () => dialog.close());
  document.getElementById('rerun-confirm').addEventListener('click', async () => {
    try {
      await api('POST', 'run/rerun', { id: rerunTarget.run.id }, rerunOptions());
      dialog.close();
      flash('Re-run queued.');
      rerunTarget.after ? rerunTarget.after() : render();
    } catch (e) {
      document.getElementById('rerun-summary').replaceChildren(el('p', { class: 'blocked' }, e.message));
    }
  });

  // ---- definitions
  async function loadTypes() {
    if (!state.types) state.types = await api('GET', 'types');
    return state.types;
  }
  async function definitions(params) {
    const types = await loadTypes();
    const filters = { type: params.get('type') || '' };
    const page = await api('GET', 'definitions', Object.assign({ after: params.get('after') || '' }, filters));
    const typeSelect = el('select', { id: 'new-type' }, types.map((t) => el('option', { value: t.type }, t.type)));
    main.replaceChildren(
      el('h1', null, 'Action definitions'),
      canOperate() ? el('div', { class: 'filters' }, typeSelect,
        el('button', { type: 'button', id: 'new-definition', onclick: () => go('#/definition/?type=' + encodeURIComponent(typeSelect.value)) }, 'New definition')) : null,
      el('table', { id: 'definitions' },
        el('thead', null, el('tr', null, ['Name', 'Id', 'Type', 'On', 'Enabled', ''].map((h) => el('th', null, h)))),
        el('tbody', null, page.definitions.map((d) => el('tr', { 'data-definition': d.id },
          el('td', null, el('a', { href: '#/definition/' + encodeURIComponent(d.id) }, d.name)),
          el('td', null, d.id), el('td', null, d.type), el('td', null, d.level + ' ' + d.targetId),
          el('td', null, d.enabled ? 'yes' : 'no'),
          el('td', { class: 'row-actions' }, canOperate() ? el('button', { type: 'button', class: 'toggle', onclick: async () => {
            try { await api('POST', 'definition/enabled', { id: d.id }, { enabled: !d.enabled, version: d.version }); render(); } catch (e) { flash(e.message, true); }
          } }, d.enabled ? 'Disable' : 'Enable') : null))))),
      page.next ? el('a', { class: 'pager', href: '#/definitions?after=' + encodeURIComponent(page.next) }, 'Next page') : null);
  }

  // the form generated from the executor's config schema
  function fieldFor(schema, value, path, secretsSet, required) {
    const type = schema.type;
    const label = path.split('.').pop();
    const wrap = (input, extra) => el('label', { class: 'field' + (type === 'boolean' ? ' check' : ''), 'data-field': 'config.' + path },
      type === 'boolean' ? input : el('span', null, label + (extra || '')), type === 'boolean' ? el('span', null, label) : input,
      el('span', { class: 'field-error' }));
    if (schema.writeOnly) {
      const isSet = secretsSet.includes(path);
      const input = el('input', { type: 'password', autocomplete: 'new-password', 'data-path': path, 'data-kind': 'secret',
        placeholder: isSet ? 'set: leave empty to keep, type to replace' : 'not set' });
      const field = wrap(input, isSet ? ' (secret, set)' : ' (secret)');
      if (isSet && !required) {
        // an optional secret (a previous signing secret during rotation) can be removed
        field.append(el('span', { class: 'check' }, el('input', { type: 'checkbox', 'data-clear': path, 'aria-label': 'remove ' + path }), ' remove this secret'));
      }
      return field;
    }
    if (schema.enum) {
      return wrap(el('select', { 'data-path': path, 'data-kind': 'enum' },
        el('option', { value: '' }, ''), schema.enum.map((v) => el('option', { value: v, selected: v === value }, v))));
    }
    if (type === 'boolean') return wrap(el('input', { type: 'checkbox', 'data-path': path, 'data-kind': 'boolean', checked: value === true }));
    if (type === 'integer' || type === 'number') return wrap(el('input', { type: 'number', 'data-path': path, 'data-kind': type, value: value === null || value === undefined ? '' : String(value) }));
    if (type === 'string') {
      const long = /instruction|body|content|text|template|message/i.test(label);
      return wrap(long ? el('textarea', { 'data-path': path, 'data-kind': 'string', value: text(value) })
        : el('input', { 'data-path': path, 'data-kind': 'string', value: text(value) }));
    }
    if (type === 'array' && schema.items && ['string', 'integer', 'number'].includes(schema.items.type) && !schema.items.writeOnly && !schema.items.enum) {
      return wrap(el('textarea', { 'data-path': path, 'data-kind': 'lines-' + schema.items.type, value: (value || []).join('\n') }), ' (one per line)');
    }
    if (type === 'object' && schema.properties) {
      return el('fieldset', { 'data-field': 'config.' + path }, el('legend', null, label), objectFields(schema, value || {}, path + '.', secretsSet));
    }
    // lists of records, maps and anything else: JSON
    return wrap(el('textarea', { 'data-path': path, 'data-kind': 'json', value: value === undefined || value === null ? '' : JSON.stringify(value, null, 2) }), ' (JSON)');
  }
  function objectFields(schema, value, prefix, secretsSet) {
    const required = schema.required || [];
    return Object.entries(schema.properties).map(([name, s]) => fieldFor(s, value[name], prefix + name, secretsSet, required.includes(name)));
  }
  function setPath(target, path, v) {
    const keys = path.split('.');
    let o = target;
    for (const k of keys.slice(0, -1)) o = (o[k] = o[k] || {});
    o[keys[keys.length - 1]] = v;
  }
  function readConfig(form) {
    const config = {};
    const problems = [];
    for (const input of form.querySelectorAll('[data-path]')) {
      const path = input.dataset.path;
      const kind = input.dataset.kind;
      let v;
      if (kind === 'boolean') v = input.checked;
      else if (kind === 'secret') v = input.value === '' ? null : input.value;
      else if (kind === 'integer' || kind === 'number') v = input.value === '' ? null : Number(input.value);
      else if (kind.startsWith('lines-')) v = input.value.split('\n').map((s) => s.trim()).filter(Boolean).map((s) => (kind === 'lines-string' ? s : Number(s)));
      else if (kind === 'json') {
        if (input.value.trim() === '') v = null;
        else try { v = JSON.parse(input.value); } catch (e) { problems.push({ field: 'config.' + path, message: 'is not valid JSON' }); continue; }
      } else v = input.value === '' ? null : input.value;
      setPath(config, path, v);
    }
    const clear = [...form.querySelectorAll('input[data-clear]:checked')].map((i) => i.dataset.clear);
    return { config, problems, clear };
  }
  function showViolations(form, violations) {
    for (const e of form.querySelectorAll('.field-error')) e.textContent = '';
    const general = form.querySelector('.errors');
    general.replaceChildren();
    for (const v of violations) {
      const target = form.querySelector('[data-field="' + CSS.escape(v.field) + '"] > .field-error')
        || form.querySelector('[data-field="' + CSS.escape(v.field.replace(/\[\d+\].*$/, '')) + '"] > .field-error');
      if (target) target.textContent = v.message;
      else general.append(el('li', null, v.field + ': ' + v.message));
    }
  }
  async function definitionEditor(id, params) {
    const types = await loadTypes();
    const existing = id ? await api('GET', 'definition', { id }) : null;
    const typeName = existing ? existing.type : params.get('type');
    const type = types.find((t) => t.type === typeName);
    if (!type) throw new Error('unknown action type ' + typeName);
    const d = existing || { id: '', name: '', level: type.levels[0], targetId: '', enabled: true, runsOn: null, config: {}, secretsSet: [] };
    const top = (name, input) => el('label', { class: 'field', 'data-field': name }, el('span', null, name), input, el('span', { class: 'field-error' }));
    const form = el('form', { class: 'form', id: 'definition-form' },
      el('ul', { class: 'errors' }),
      top('id', el('input', { name: 'id', value: d.id, disabled: !!existing })),
      top('name', el('input', { name: 'name', value: d.name })),
      top('level', el('select', { name: 'level' }, type.levels.map((l) => el('option', { value: l, selected: l === d.level }, l)))),
      top('targetId', el('input', { name: 'targetId', value: d.targetId })),
      top('runsOn', el('select', { name: 'runsOn' }, ['', 'FIRST_PAYMENT_ONLY', 'EVERY_PAYMENT'].map((v) => el('option', { value: v, selected: v === (d.runsOn || '') }, v || 'the action type\'s default')))),
      el('label', { class: 'field check', 'data-field': 'enabled' }, el('input', { type: 'checkbox', name: 'enabled', checked: d.enabled }), el('span', null, 'enabled')),
      el('fieldset', { 'data-field': 'config' }, el('legend', null, type.type + ' settings'), objectFields(type.schema, d.config || {}, '', d.secretsSet || [])),
      el('div', { class: 'buttons' },
        existing && canOperate() ? el('button', { type: 'button', id: 'delete-definition' }, 'Delete') : null,
        existing && type.testable && canOperate() ? el('button', { type: 'button', id: 'test-webhook' }, 'Test webhook') : null,
        canOperate() ? el('button', { type: 'submit', class: 'primary', id: 'save-definition' }, 'Save') : null));
    const testOutput = el('section', { id: 'test-result' });
    main.replaceChildren(el('h1', null, existing ? 'Edit ' + d.name : 'New ' + type.type + ' action'),
      existing ? el('p', { class: 'muted' }, 'Version ' + existing.version + '. Secrets are never shown: leave a secret empty to keep it, type a new value to replace it.') : null,
      form, testOutput);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const { config, problems, clear } = readConfig(form);
      if (problems.length) { showViolations(form, problems); return; }
      const f = (name) => form.elements.namedItem(name);
      const body = { id: f('id').value, type: type.type, name: f('name').value, level: f('level').value, targetId: f('targetId').value,
        runsOn: f('runsOn').value || null, enabled: f('enabled').checked, config, clearSecrets: clear };
      try {
        const saved = existing
          ? await api('PUT', 'definition', { id: existing.id }, Object.assign(body, { version: existing.version }))
          : await api('POST', 'definition', null, body);
        flash('Saved ' + saved.name + ' (version ' + saved.version + ').');
        go('#/definition/' + encodeURIComponent(saved.id));
      } catch (err) {
        if (err.violations.length) showViolations(form, err.violations);
        else showViolations(form, [{ field: '', message: err.message }]);
      }
    });
    const deleteButton = form.querySelector('#delete-definition');
    if (deleteButton) {
      deleteButton.addEventListener('click', async () => {
        if (!confirm('Delete ' + existing.name + '? Runs created from it keep their snapshots.')) return;
        try {
          await api('POST', 'definition/delete', { id: existing.id }, { version: existing.version });
          flash('Deleted ' + existing.name + '.');
          go('#/definitions');
        } catch (err) { showViolations(form, [{ field: '', message: err.message }]); }
      });
    }
    const testButton = form.querySelector('#test-webhook');
    if (testButton) {
      testButton.addEventListener('click', async () => {
        testOutput.replaceChildren(el('p', { class: 'muted' }, 'Sending a test request…'));
        try {
          const t = await api('POST', 'definition/test', { id: existing.id }, {});
          testOutput.replaceChildren(el('h2', null, t.ok ? 'The receiver answered as required' : 'The receiver did not answer as required'),
            el('dl', { class: 'kv' }, el('dt', null, 'Status'), el('dd', null, text(t.status)), el('dt', null, 'Took'), el('dd', null, t.elapsedMillis + ' ms'),
              el('dt', null, 'Problem'), el('dd', null, text(t.problem))),
            el('h2', null, 'Answer, exactly as received'), el('pre', { class: 'raw', id: 'test-body' }, t.body));
        } catch (err) {
          testOutput.replaceChildren(el('p', { class: 'errors' }, err.message));
          if (err.violations.length) showViolations(form, err.violations);
        }
      });
    }
  }

  // ---- subscriptions
  async function subscriptions() {
    const [s, types, defs] = await Promise.all([api('GET', 'subscriptions'), loadTypes(), api('GET', 'definitions', { limit: 1000 })]);
    const eventTypes = new Set(types.filter((t) => t.triggerKinds.includes('EVENT')).map((t) => t.type));
    const candidates = defs.definitions.filter((d) => eventTypes.has(d.type));
    const editorRow = el('tr', { hidden: true, id: 'subscription-editor-row' });
    function openEditor(eventType, sub) {
      const form = el('form', { class: 'form', id: 'subscription-form' },
        el('ul', { class: 'errors' }),
        el('label', { class: 'field', 'data-field': 'id' }, el('span', null, 'id'), el('input', { name: 'id', value: sub ? sub.id : '', disabled: !!sub }), el('span', { class: 'field-error' })),
        el('fieldset', { 'data-field': 'definitionIds' }, el('legend', null, 'Actions to run'),
          candidates.length ? candidates.map((d) => el('label', { class: 'field check' }, el('input', { type: 'checkbox', name: 'definition', value: d.id, checked: !!sub && sub.definitionIds.includes(d.id) }), el('span', null, d.name + ' (' + d.type + ')')))
            : el('p', { class: 'muted' }, 'No definition of an action type that takes events.'),
          el('span', { class: 'field-error' })),
        el('fieldset', { 'data-field': 'sources' }, el('legend', null, 'For events from'),
          ['ADMIN', 'SHOP', 'FUNNEL'].map((src) => el('label', { class: 'field check' }, el('input', { type: 'checkbox', name: 'source', value: src, checked: !sub || sub.sources.includes(src) }), el('span', null, src))),
          el('span', { class: 'field-error' })),
        el('label', { class: 'field check' }, el('input', { type: 'checkbox', name: 'enabled', checked: !sub || sub.enabled }), el('span', null, 'enabled')),
        el('div', { class: 'buttons' },
          sub ? el('button', { type: 'button', class: 'delete', onclick: async () => {
            if (!confirm('Delete subscription ' + sub.id + '?')) return;
            try { await api('POST', 'subscription/delete', { id: sub.id }, { version: sub.version }); flash('Deleted.'); render(); } catch (e) { showViolations(form, [{ field: '', message: e.message }]); }
          } }, 'Delete') : null,
          el('button', { type: 'button', onclick: () => { editorRow.hidden = true; } }, 'Cancel'),
          el('button', { type: 'submit', class: 'primary' }, 'Save')));
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const checked = (name) => [...form.querySelectorAll('input[name="' + name + '"]:checked')].map((i) => i.value);
        const body = { id: form.elements.namedItem('id').value, eventType, definitionIds: checked('definition'), sources: checked('source'),
          enabled: form.elements.namedItem('enabled').checked };
        try {
          if (sub) await api('PUT', 'subscription', { id: sub.id }, Object.assign(body, { version: sub.version }));
          else await api('POST', 'subscription', null, body);
          flash('Saved subscription ' + body.id + '.');
          render();
        } catch (err) { showViolations(form, err.violations.length ? err.violations : [{ field: '', message: err.message }]); }
      });
      editorRow.replaceChildren(el('td', { colspan: 3 }, el('h2', null, (sub ? 'Edit ' + sub.id : 'New subscription') + ' for ' + eventType), form));
      editorRow.hidden = false;
    }
    const rows = [];
    for (const ev of s.events) {
      rows.push(el('tr', { 'data-event': ev.type },
        el('td', null, ev.type),
        el('td', null, ev.enabled ? 'on ' : 'off ', canOperate() ? el('button', { type: 'button', onclick: async () => {
          try { await api('POST', 'event/enabled', { type: ev.type }, { enabled: !ev.enabled }); render(); } catch (e) { flash(e.message, true); }
        } }, ev.enabled ? 'Switch off' : 'Switch on') : null),
        el('td', null, ev.subscriptions.length ? el('ul', null, ev.subscriptions.map((sub) => el('li', { 'data-subscription': sub.id },
          sub.id + ' → ' + sub.definitionIds.join(', ') + ' (' + sub.sources.join(', ') + ') ' + (sub.enabled ? 'enabled ' : 'disabled '),
          canOperate() ? [el('button', { type: 'button', onclick: async () => {
            try { await api('POST', 'subscription/enabled', { id: sub.id }, { enabled: !sub.enabled, version: sub.version }); render(); } catch (e) { flash(e.message, true); }
          } }, sub.enabled ? 'Disable' : 'Enable'), el('button', { type: 'button', onclick: () => openEditor(ev.type, sub) }, 'Edit')] : null))) : el('span', { class: 'muted' }, 'none'),
          canOperate() ? el('button', { type: 'button', class: 'add-subscription', onclick: () => openEditor(ev.type, null) }, 'Add') : null)));
    }
    main.replaceChildren(el('h1', null, 'Event subscriptions'),
      el('table', { id: 'subscriptions' },
        el('thead', null, el('tr', null, ['Event', 'Notifications', 'Subscriptions'].map((h) => el('th', null, h)))),
        el('tbody', null, editorRow, rows)));
  }

  // ---- integrations: switches and write-only API keys
  async function integrations() {
    const list = (await api('GET', 'integrations')).integrations;
    const save = async (id, enabled, apiKey, clearApiKey) => {
      try {
        await api('POST', 'integration', { id }, { enabled, apiKey: apiKey || null, clearApiKey: !!clearApiKey });
        flash('Saved ' + id + '.');
        render();
      } catch (e) { flash(e.message, true); }
    };
    const row = (i) => {
      const key = el('input', { type: 'password', autocomplete: 'new-password', placeholder: i.apiKeySet ? 'set: type to replace' : 'not set', 'data-key': i.integration });
      return el('tr', { 'data-integration': i.integration },
        el('td', null, i.integration),
        el('td', null, i.enabled ? 'enabled' : 'disabled'),
        el('td', null, i.apiKeySet ? 'set' : 'not set'),
        el('td', { class: 'row-actions' }, canOperate() ? [
          el('button', { type: 'button', onclick: () => save(i.integration, !i.enabled, null, false) }, i.enabled ? 'Disable' : 'Enable'),
          key,
          el('button', { type: 'button', onclick: () => { if (key.value) save(i.integration, i.enabled, key.value, false); } }, i.apiKeySet ? 'Replace key' : 'Set key'),
          i.apiKeySet ? el('button', { type: 'button', onclick: () => { if (confirm('Remove the API key of ' + i.integration + '?')) save(i.integration, i.enabled, null, true); } }, 'Remove key') : null] : null));
    };
    const newId = el('input', { placeholder: 'integration id, e.g. kajabi', id: 'new-integration' });
    main.replaceChildren(el('h1', null, 'Integrations'),
      el('p', { class: 'muted' }, 'API keys are write-only: they can be set or replaced, never shown.'),
      el('table', { id: 'integrations' },
        el('thead', null, el('tr', null, ['Integration', 'Status', 'API key', ''].map((h) => el('th', null, h)))),
        el('tbody', null, list.length ? list.map(row) : el('tr', null, el('td', { colspan: 4, class: 'muted' }, 'None saved yet.')))),
      canOperate() ? el('div', { class: 'filters' }, newId,
        el('button', { type: 'button', onclick: () => { if (newId.value.trim()) save(newId.value.trim(), true, null, false); } }, 'Add (enabled)')) : null);
  }

  // ---- start
  document.getElementById('order-search').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = document.getElementById('order-search-id').value.trim();
    if (id) go('#/order/' + encodeURIComponent(id));
  });
  window.addEventListener('hashchange', render);
  (async function start() {
    try {
      state.session = await api('GET', 'session');
      document.getElementById('who').textContent = state.session.user + ' · ' + (state.session.role === 'OPERATOR' ? 'operator' : 'read-only');
      for (const a of document.querySelectorAll('.config-only')) a.hidden = !state.session.configuration;
      for (const a of document.querySelectorAll('.integrations-only')) a.hidden = !state.session.integrations;
      await render();
    } catch (e) {
      showError(e);
    }
  })();
})();
