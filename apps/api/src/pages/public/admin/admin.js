'use strict';
// Admin page: the pal's getSockets() data view over the /v1 API, with the key kept in this tab only.
(() => {
  const KEY_STORAGE = 'clientsocket.admin.apiKey';
  const REFRESH_MS = 2000;
  const LIVE_COLUMNS = new Set(['connections', 'lastAccess', 'expiresAt', 'messageCount', 'clientIp']);
  const TIME_COLUMNS = new Set(['createdAt', 'lastAccess', 'expiresAt']);
  const EXPORT_PAGE = 1000;

  const $ = (id) => document.getElementById(id);
  const el = {
    status: $('status'),
    updated: $('updated'),
    keyForm: $('key-form'),
    keyInput: $('api-key'),
    keyActive: $('key-active'),
    keyHint: $('key-hint'),
    keyError: $('key-error'),
    forget: $('forget-key'),
    socketsPanel: $('sockets-panel'),
    socketsTitle: $('sockets-title'),
    filterForm: $('filter-form'),
    channel: $('channel-filter'),
    pageSize: $('page-size'),
    live: $('live'),
    exportCsv: $('export-csv'),
    listError: $('list-error'),
    table: $('sockets'),
    headRow: document.querySelector('#sockets thead tr'),
    body: document.querySelector('#sockets tbody'),
    empty: $('empty'),
    prev: $('prev-page'),
    next: $('next-page'),
    pageInfo: $('page-info'),
    sendPanel: $('send-panel'),
    sendForm: $('send-form'),
    sendTarget: $('send-target'),
    sendJson: $('send-json'),
    sendMessage: $('send-message'),
    sendResult: $('send-result'),
    dialog: $('confirm-delete'),
    confirmId: $('confirm-id'),
  };

  const state = {
    key: null,
    channel: '',
    limit: 25,
    /** Cursor of the page shown (null: first page) and of the pages before it. */
    cursor: null,
    previous: [],
    nextCursor: null,
    columns: [],
    /** Bumped whenever the view changes, so a slow answer for an older view is dropped. */
    view: 0,
    refreshTimer: null,
    inFlight: false,
  };

  // sessionStorage can throw (storage disabled); the key then lives in memory only.
  const keyStore = {
    get() {
      try {
        return sessionStorage.getItem(KEY_STORAGE);
      } catch {
        return null;
      }
    },
    set(value) {
      try {
        sessionStorage.setItem(KEY_STORAGE, value);
      } catch {
        /* memory only */
      }
    },
    clear() {
      try {
        sessionStorage.removeItem(KEY_STORAGE);
      } catch {
        /* nothing stored */
      }
    },
  };

  class ApiError extends Error {
    constructor(status, body) {
      super(body?.error?.message ?? `HTTP ${status}`);
      this.status = status;
      this.code = body?.error?.code ?? `http_${status}`;
      this.details = body?.error?.details;
    }
  }

  async function api(method, path, body) {
    const headers = { authorization: `Bearer ${state.key}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path, {
      method,
      headers,
      cache: 'no-store',
      credentials: 'omit',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 204) return null;
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
  }

  function listPath(cursor, limit) {
    const q = new URLSearchParams();
    if (state.channel) q.set('channel', state.channel);
    q.set('limit', String(limit));
    if (cursor) q.set('cursor', cursor);
    return `/v1/sockets?${q}`;
  }

  function describe(err) {
    if (err.code === 'validation_failed' && Array.isArray(err.details)) {
      return `${err.message}: ${err.details.map((d) => `${d.field} ${d.message}`).join('; ')}`;
    }
    return `${err.message} (${err.code})`;
  }

  function setStatus(text) {
    el.status.textContent = text;
  }

  // ---- rendering -------------------------------------------------------

  function relative(ms) {
    const s = Math.round(Math.abs(ms) / 1000);
    const text = s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
    return ms >= 0 ? `in ${text}` : `${text} ago`;
  }

  // Content goes in one wrapper, so the phone layout's label/value grid has exactly two items.
  function fillCell(td, column, value) {
    const v = document.createElement('span');
    v.className = 'v';
    td.title = value === null || value === undefined ? '' : String(value);
    if (value === null || value === undefined) {
      v.classList.add('null');
      v.textContent = 'none';
    } else if (typeof value === 'boolean') {
      v.textContent = value ? 'yes' : 'no';
    } else if (TIME_COLUMNS.has(column) && typeof value === 'string') {
      const time = document.createElement('time');
      time.dateTime = value;
      time.textContent = value;
      const rel = document.createElement('span');
      rel.className = 'rel';
      rel.dataset.at = value;
      rel.textContent = relative(Date.parse(value) - Date.now());
      v.append(time, rel);
    } else {
      v.textContent = typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
    td.replaceChildren(v);
    td.dataset.value = value === null || value === undefined ? '' : String(value);
  }

  function renderHead(columns) {
    if (columns.join() === state.columns.join()) return;
    state.columns = columns;
    el.headRow.replaceChildren(
      ...columns.map((c) => {
        const th = document.createElement('th');
        th.scope = 'col';
        th.textContent = c;
        return th;
      }),
      Object.assign(document.createElement('th'), { scope: 'col', textContent: 'Actions' }),
    );
    el.body.replaceChildren();
  }

  function actionButton(label, className, ariaLabel, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = label;
    b.setAttribute('aria-label', ariaLabel);
    b.addEventListener('click', onClick);
    return b;
  }

  function newRow(row) {
    const tr = document.createElement('tr');
    tr.dataset.id = row.id;
    for (const column of state.columns) {
      const td = document.createElement('td');
      td.dataset.col = column;
      td.dataset.label = column;
      fillCell(td, column, row[column]);
      tr.append(td);
    }
    const actions = document.createElement('td');
    actions.className = 'actions';
    actions.dataset.label = 'Actions';
    actions.append(
      actionButton('Send…', 'secondary', `Send a message to socket ${row.id}`, () => chooseTarget(row.id)),
      actionButton('Delete', 'danger', `Delete socket ${row.id}`, () => confirmDelete(row.id)),
    );
    tr.append(actions);
    return tr;
  }

  // Rows are updated in place (not rebuilt) so keyboard focus survives a live refresh.
  function renderRows(rows, highlight) {
    const existing = new Map([...el.body.children].map((tr) => [tr.dataset.id, tr]));
    const ordered = [];
    for (const row of rows) {
      let tr = existing.get(row.id);
      if (tr) {
        existing.delete(row.id);
        for (const td of tr.querySelectorAll('td[data-col]')) {
          const column = td.dataset.col;
          const value = row[column];
          const text = value === null || value === undefined ? '' : String(value);
          if (td.dataset.value === text) continue;
          fillCell(td, column, value);
          if (highlight && LIVE_COLUMNS.has(column)) {
            td.classList.remove('changed');
            void td.offsetWidth;
            td.classList.add('changed');
          }
        }
      } else {
        tr = newRow(row);
      }
      ordered.push(tr);
    }
    for (const gone of existing.values()) gone.remove();
    ordered.forEach((tr, i) => {
      if (el.body.children[i] !== tr) el.body.insertBefore(tr, el.body.children[i] ?? null);
    });
    el.empty.hidden = rows.length > 0;
  }

  function renderPager(total, rows) {
    const page = state.previous.length + 1;
    el.pageInfo.textContent = `Page ${page} · ${rows} shown · ${total} socket${total === 1 ? '' : 's'}${state.channel ? ` in “${state.channel}”` : ''}`;
    el.prev.disabled = state.previous.length === 0;
    el.next.disabled = !state.nextCursor;
  }

  // ---- loading ---------------------------------------------------------

  async function load({ live = false } = {}) {
    if (!state.key) return;
    const view = state.view;
    state.inFlight = true;
    try {
      const data = await api('GET', listPath(state.cursor, state.limit));
      if (view !== state.view) return;
      el.listError.textContent = '';
      renderHead(data.columns);
      renderRows(data.rows, live);
      state.nextCursor = data.nextCursor;
      renderPager(data.total, data.rows.length);
      el.updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
    } catch (err) {
      if (view !== state.view) return;
      if (err.status === 401) return signOut('The API key was not accepted.');
      el.listError.textContent = `Could not load sockets: ${describe(err)}`;
    } finally {
      state.inFlight = false;
      if (view === state.view) scheduleRefresh();
    }
  }

  function scheduleRefresh() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = null;
    if (!state.key || !el.live.checked || document.visibilityState === 'hidden') return;
    state.refreshTimer = setTimeout(() => {
      if (!state.inFlight) load({ live: true });
    }, REFRESH_MS);
  }

  function changeView(update) {
    update();
    state.view++;
    clearTimeout(state.refreshTimer);
    return load();
  }

  // ---- key -------------------------------------------------------------

  async function signIn(key) {
    state.key = key;
    el.keyError.textContent = '';
    try {
      await api('GET', listPath(null, 1));
    } catch (err) {
      state.key = null;
      el.keyError.textContent = err.status === 401 ? 'This API key was not accepted.' : `Could not check the key: ${describe(err)}`;
      return;
    }
    keyStore.set(key);
    el.keyInput.value = '';
    el.keyForm.hidden = true;
    el.keyActive.hidden = false;
    el.keyHint.textContent = `…${key.slice(-4)}`;
    el.socketsPanel.hidden = false;
    el.sendPanel.hidden = false;
    await changeView(() => {
      state.cursor = null;
      state.previous = [];
    });
    el.socketsTitle.focus();
  }

  function signOut(message = '') {
    state.key = null;
    state.view++;
    clearTimeout(state.refreshTimer);
    keyStore.clear();
    el.keyForm.hidden = false;
    el.keyActive.hidden = true;
    el.socketsPanel.hidden = true;
    el.sendPanel.hidden = true;
    el.body.replaceChildren();
    state.columns = [];
    el.keyError.textContent = message;
    setStatus('');
    el.updated.textContent = '';
    el.keyInput.focus();
  }

  // ---- actions ---------------------------------------------------------

  function chooseTarget(id) {
    el.sendTarget.value = id;
    el.sendResult.textContent = '';
    el.sendMessage.focus();
  }

  let pendingDelete = null;
  function confirmDelete(id) {
    pendingDelete = id;
    el.confirmId.textContent = id;
    el.dialog.showModal();
  }

  el.dialog.addEventListener('close', async () => {
    const id = pendingDelete;
    pendingDelete = null;
    if (el.dialog.returnValue !== 'delete' || !id) return;
    try {
      await api('DELETE', `/v1/sockets/${encodeURIComponent(id)}`);
      setStatus(`Deleted socket ${id}`);
    } catch (err) {
      setStatus(err.status === 404 ? `Socket ${id} was already gone` : `Could not delete ${id}: ${describe(err)}`);
    }
    el.socketsTitle.focus();
    state.view++;
    await load();
  });

  el.sendForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = el.sendTarget.value.trim();
    let message = el.sendMessage.value;
    if (el.sendJson.checked) {
      try {
        message = JSON.parse(message);
      } catch {
        el.sendResult.textContent = 'The message is not valid JSON.';
        el.sendResult.className = 'error';
        return;
      }
    }
    try {
      const { delivered } = await api('POST', `/v1/sockets/${encodeURIComponent(id)}/messages`, { message });
      el.sendResult.textContent = `Sent: delivered to ${delivered} connection${delivered === 1 ? '' : 's'}.`;
      el.sendResult.className = 'ok';
    } catch (err) {
      el.sendResult.textContent = err.status === 404 ? `No socket ${id}.` : `Not sent: ${describe(err)}`;
      el.sendResult.className = 'error';
    }
  });

  // ---- CSV -------------------------------------------------------------

  // A leading = + - @ (or tab/CR) makes spreadsheets run the cell as a
  // formula, and channel names are free text: such cells get a leading
  // quote. Ids and workflow names ([A-Za-z0-9._-], may start with "-") can
  // call nothing and are kept exact.
  function csvCell(value) {
    if (value === null || value === undefined) return '';
    let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-[A-Za-z0-9._-]*$/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }

  async function exportCsv() {
    el.exportCsv.disabled = true;
    setStatus('Exporting…');
    try {
      let columns = state.columns;
      const rows = [];
      let cursor = null;
      do {
        const data = await api('GET', listPath(cursor, EXPORT_PAGE));
        columns = data.columns;
        rows.push(...data.rows);
        cursor = data.nextCursor;
      } while (cursor);
      const lines = [columns.map(csvCell).join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))];
      const blob = new Blob(['\ufeff', lines.join('\r\n'), '\r\n'], { type: 'text/csv;charset=utf-8' });
      const a = document.createElement('a');
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      a.href = URL.createObjectURL(blob);
      a.download = `sockets-${(state.channel || 'all').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60)}-${stamp}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      setStatus(`Exported ${rows.length} socket${rows.length === 1 ? '' : 's'}`);
    } catch (err) {
      setStatus(`Export failed: ${describe(err)}`);
    } finally {
      el.exportCsv.disabled = false;
    }
  }

  // ---- wiring ----------------------------------------------------------

  el.keyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = el.keyInput.value.trim();
    if (key) signIn(key);
  });
  el.forget.addEventListener('click', () => signOut('Key forgotten.'));
  el.filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    changeView(() => {
      state.channel = el.channel.value;
      state.limit = Number(el.pageSize.value);
      state.cursor = null;
      state.previous = [];
    });
  });
  el.pageSize.addEventListener('change', () => el.filterForm.requestSubmit());
  el.next.addEventListener('click', () => {
    if (!state.nextCursor) return;
    changeView(() => {
      state.previous.push(state.cursor);
      state.cursor = state.nextCursor;
    });
  });
  el.prev.addEventListener('click', () => {
    if (state.previous.length === 0) return;
    changeView(() => {
      state.cursor = state.previous.pop() ?? null;
    });
  });
  el.live.addEventListener('change', () => (el.live.checked ? load({ live: true }) : clearTimeout(state.refreshTimer)));
  el.exportCsv.addEventListener('click', exportCsv);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && state.key && el.live.checked && !state.inFlight) load({ live: true });
  });
  setInterval(() => {
    for (const rel of el.body.querySelectorAll('.rel')) rel.textContent = relative(Date.parse(rel.dataset.at) - Date.now());
  }, 1000);

  const saved = keyStore.get();
  if (saved) signIn(saved);
  else el.keyInput.focus();
})();
