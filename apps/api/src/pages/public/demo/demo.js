'use strict';
// Demo chat: one ClientSocket per page load, messages through the `chat` workflow.
(() => {
  const $ = (id) => document.getElementById(id);
  const el = {
    state: $('state'),
    reason: $('state-reason'),
    gateway: $('gateway'),
    socketId: $('socket-id'),
    expires: $('expires'),
    meter: $('expires-meter'),
    keepalive: $('keepalive'),
    pingEvery: $('ping-every'),
    newSession: $('new-session'),
    messages: $('messages'),
    compose: $('compose'),
    name: $('compose-name'),
    text: $('compose-text'),
    send: $('compose-send'),
    error: $('compose-error'),
  };

  let session = null;
  let connection = null;
  let expiresAt = null;
  let windowMs = 60000;

  el.name.value = `guest-${Math.random().toString(36).slice(2, 6)}`;

  function showState(state, reason) {
    el.state.textContent = state;
    el.state.dataset.state = state;
    el.reason.textContent = reason ? `(${reason})` : '';
    const closed = state === 'closed';
    el.send.disabled = closed;
    el.text.disabled = closed;
    el.keepalive.disabled = closed;
    el.newSession.hidden = !closed;
  }

  function system(text) {
    const li = document.createElement('li');
    li.className = 'system';
    li.textContent = text;
    el.messages.append(li);
    li.scrollIntoView({ block: 'nearest' });
  }

  // Payloads come from other tabs and could be anything: only ever rendered as text.
  function showMessage(message) {
    const li = document.createElement('li');
    const from = document.createElement('span');
    from.className = 'from';
    const body = document.createElement('span');
    body.className = 'text';
    if (message && typeof message === 'object' && typeof message.text === 'string') {
      from.textContent = `${String(message.from ?? 'someone')}:`;
      body.textContent = message.text;
      if (connection && message.sender === connection.socketId) li.classList.add('mine');
      li.append(from, body);
      if (typeof message.via === 'string') {
        const via = document.createElement('span');
        via.className = 'via';
        via.textContent = `via ${message.via}`;
        li.append(via);
      }
    } else {
      body.textContent = typeof message === 'string' ? message : JSON.stringify(message);
      li.append(body);
    }
    el.messages.append(li);
    li.scrollIntoView({ block: 'nearest' });
  }

  function renderCountdown() {
    if (!expiresAt) return;
    const left = expiresAt.getTime() - Date.now();
    if (el.state.dataset.state === 'closed') {
      el.meter.value = 0;
      el.expires.textContent = el.reason.textContent === '(expired)' ? 'expired' : 'no longer renewed';
      return;
    }
    const seconds = Math.max(0, left) / 1000;
    el.expires.textContent = left > 0 ? `in ${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s` : 'now';
    el.expires.title = expiresAt.toISOString();
    el.meter.value = Math.min(1, Math.max(0, left / windowMs));
  }

  function setExpiry(date) {
    expiresAt = date;
    el.expires.dataset.expiresAt = date.toISOString();
    renderCountdown();
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.append(script);
    });
  }

  async function openSession() {
    const gateway = new URLSearchParams(location.search).get('gateway');
    const url = gateway === null ? '/demo/session' : `/demo/session?gateway=${encodeURIComponent(gateway)}`;
    const res = await fetch(url, { method: 'POST', headers: { accept: 'application/json' } });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error(body?.error?.message ?? `session request failed (${res.status})`);
    return body;
  }

  async function start() {
    try {
      session = await openSession();
    } catch (err) {
      showState('closed', err.message);
      return;
    }
    const socket = session.socket;
    el.gateway.textContent = session.gateway;
    el.socketId.textContent = socket.id;
    windowMs = Math.max(1, Date.parse(socket.expiresAt) - Date.parse(socket.lastAccess));
    // Two pings per renewal window, at most the usual 30 s, so a short RENEWAL_MINUTE_MS stays alive too.
    const pingIntervalMs = Math.min(30000, Math.max(250, Math.floor(windowMs / 2)));
    el.pingEvery.textContent = String(Math.round(pingIntervalMs / 100) / 10);
    setExpiry(new Date(socket.expiresAt));
    try {
      await loadScript(session.clientScript);
    } catch (err) {
      showState('closed', err.message);
      return;
    }
    connection = window.ClientSocket.connect(
      socket.endpoint,
      {
        message: showMessage,
        state: (state, detail) => {
          showState(state, detail.reason);
          if (state === 'connected') system(`connected via ${session.gateway}`);
          if (state === 'closed') system(`connection closed: ${detail.reason}`);
        },
        closed: (event) => system(`server closed the socket: ${event.reason}`),
        expiresAt: setExpiry,
      },
      { pingIntervalMs },
    );
    document.documentElement.dataset.timer = connection.timerKind;
  }

  el.compose.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = el.text.value.trim();
    if (!text || !connection) return;
    el.error.textContent = '';
    el.send.disabled = true;
    try {
      await connection.send({ from: el.name.value.trim() || 'guest', sender: connection.socketId, via: session.gateway, text });
      el.text.value = '';
    } catch (err) {
      el.error.textContent = `Not sent: ${err.code ?? err.message}`;
    } finally {
      el.send.disabled = connection.state === 'closed';
      el.text.focus();
    }
  });

  el.keepalive.addEventListener('change', () => connection?.setKeepalive(el.keepalive.checked));
  el.newSession.addEventListener('click', () => location.reload());
  setInterval(renderCountdown, 250);
  start();
})();
