// The wsrpc console: one WebSocket to the native protocol, a method list from rpc.discover,
// a log of everything sent and received, topics, and bursts of pipelined calls.
const $ = (id) => document.getElementById(id);
const pending = new Map();
let socket = null;
let nextId = 1;
let wanted = false;
let retry = 0;
let methods = [];

const defaultUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
$('url').value = defaultUrl;

function setState(state) {
  $('state').textContent = state;
  $('state').dataset.state = state;
}

function log(kind, text) {
  const item = document.createElement('li');
  item.className = kind;
  item.textContent = text;
  $('log').prepend(item);
  while ($('log').children.length > 500) {
    $('log').lastChild.remove();
  }
}

function connect() {
  wanted = true;
  if (socket && socket.readyState <= WebSocket.OPEN) {
    return;
  }
  const token = $('token').value;
  const url = $('url').value + (token ? `?access_token=${encodeURIComponent(token)}` : '');
  setState('connecting');
  socket = new WebSocket(url);
  socket.onopen = () => {
    retry = 0;
    setState('connected');
    call('rpc.discover', {}).then((reply) => showMethods(reply.result));
  };
  socket.onmessage = (message) => receive(JSON.parse(message.data));
  socket.onclose = (event) => {
    for (const entry of pending.values()) {
      entry.reject(new Error('connection closed'));
    }
    pending.clear();
    log('error', `closed ${event.code} ${event.reason}`);
    if (wanted) {
      setState('reconnecting');
      const delay = Math.min(30000, 250 * 2 ** retry++) * (0.5 + Math.random());
      setTimeout(connect, delay);
    } else {
      setState('disconnected');
    }
  };
}

function disconnect() {
  wanted = false;
  if (socket) {
    socket.close(1000, 'bye');
  }
}

function call(method, params, quiet) {
  const id = nextId++;
  const request = { request_id: id, action: method, params };
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, start: performance.now(), method, quiet });
    if (!quiet) {
      log('sent', `→ ${JSON.stringify(request)}`);
    }
    socket.send(JSON.stringify(request));
  });
}

function receive(message) {
  if (message.event !== undefined) {
    log('event', `event ${message.event}${message.offset ? ' #' + message.offset : ''}: ${JSON.stringify(message.data)}`);
    return;
  }
  const entry = pending.get(message.request_id);
  pending.delete(message.request_id);
  const millis = entry ? (performance.now() - entry.start).toFixed(2) : '?';
  if (!entry || !entry.quiet || message.status !== 'ok') {
    if (message.status === 'ok') {
      log('ok', `← ${millis} ms ${JSON.stringify(message)}`);
    } else {
      log('error', `← ${millis} ms ${message.error.code}: ${message.error.message} ${JSON.stringify(message)}`);
    }
  }
  if (entry) {
    entry.resolve(message);
  }
}

function showMethods(document) {
  methods = document.methods;
  $('method').replaceChildren(...methods.map((method) => new Option(method.name, method.name)));
  const add = methods.find((method) => method.name === 'add_numbers');
  $('method').value = add ? add.name : (methods[0] && methods[0].name);
  fillParams();
}

function skeleton(schema) {
  switch (schema && schema.type) {
    case 'number': case 'integer': return 0;
    case 'string': return '';
    case 'boolean': return false;
    case 'array': return [];
    case 'object': return Object.fromEntries(Object.entries(schema.properties || {}).map(([k, v]) => [k, skeleton(v)]));
    default: return null;
  }
}

function fillParams() {
  const method = methods.find((candidate) => candidate.name === $('method').value);
  if (method) {
    const params = Object.fromEntries(method.params.map((param) => [param.name, skeleton(param.schema)]));
    $('params').value = JSON.stringify(params, null, 2);
  }
}

function send() {
  let params;
  try {
    params = JSON.parse($('params').value || '{}');
  } catch (error) {
    log('error', `params are not JSON: ${error.message}`);
    return;
  }
  call($('method').value, params);
}

async function burst() {
  const count = Number($('repeat').value) || 1;
  const params = JSON.parse($('params').value || '{}');
  const started = [];
  const calls = [];
  for (let i = 0; i < count; i++) {
    started.push(performance.now());
    calls.push(call($('method').value, params, true).then(() => performance.now()));
  }
  const ended = await Promise.all(calls);
  const latencies = ended.map((end, i) => end - started[i]).sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * q) - 1)].toFixed(2);
  $('burst-result').textContent = `${count} replies, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`;
}

function jsonOf(text) {
  try {
    return JSON.parse(text);
  } catch (error) {
    return text;
  }
}

$('connect').onclick = connect;
$('disconnect').onclick = disconnect;
$('method').onchange = fillParams;
$('send').onclick = send;
$('burst').onclick = burst;
$('params').onkeydown = (event) => {
  if (event.key === 'Enter' && event.ctrlKey) {
    send();
  }
};
$('subscribe').onclick = () => call('subscribe', { topic: $('topic').value });
$('unsubscribe').onclick = () => call('unsubscribe', { topic: $('topic').value });
$('publish').onclick = () => call('publish', { topic: $('topic').value, data: jsonOf($('publish-data').value) });
$('clear').onclick = () => $('log').replaceChildren();
$('copy').onclick = () => navigator.clipboard.writeText([...$('log').children].map((item) => item.textContent).join('\n'));
connect();
