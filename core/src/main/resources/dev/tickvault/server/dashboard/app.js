// tickvault dashboard: candlesticks + volume (lightweight-charts), live trades over a WebSocket, the order book at a
// chosen time, feed health and gaps. Prices arrive as exact decimal strings; they become JS numbers only for drawing.
'use strict';

const state = { series: null, interval: '1m', intervalSeconds: 60, socket: null, candles: 0, updates: 0, trades: 0, last: null };
window.__tickvault = state; // read by the browser test

const token = new URLSearchParams(location.hash.slice(1)).get('token');
const headers = token ? { Authorization: 'Bearer ' + token } : {};
const $ = (id) => document.getElementById(id);

const chart = LightweightCharts.createChart($('chart'), {
  layout: { background: { color: '#0f1419' }, textColor: '#d8dee9' },
  grid: { vertLines: { color: '#1c232b' }, horzLines: { color: '#1c232b' } },
  timeScale: { timeVisible: true, secondsVisible: true },
  autoSize: true,
});
const candles = chart.addSeries(LightweightCharts.CandlestickSeries, {
  upColor: '#26a69a', downColor: '#ef5350', borderVisible: false, wickUpColor: '#26a69a', wickDownColor: '#ef5350',
});
const volume = chart.addSeries(LightweightCharts.HistogramSeries, { priceFormat: { type: 'volume' }, priceScaleId: '' });
volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
let forming = null; // the bar being formed by live trades

async function api(path) {
  const response = await fetch(path, { headers });
  if (!response.ok) {
    let message = response.status + ' ' + response.statusText;
    try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return response.json();
}

function seconds(iso) { return Math.floor(Date.parse(iso) / 1000); }
function query(extra) {
  const p = new URLSearchParams({ exchange: state.series.exchange, symbol: state.series.symbol, ...extra });
  return p.toString();
}

async function loadSymbols() {
  const symbols = (await api('/api/v1/symbols')).filter((s) => s.tables.includes('trades'));
  const select = $('symbol');
  select.innerHTML = '';
  for (const s of symbols) {
    const option = document.createElement('option');
    option.value = JSON.stringify({ exchange: s.exchange, symbol: s.symbol });
    option.textContent = s.exchange + ' ' + s.symbol;
    select.appendChild(option);
  }
  if (symbols.length === 0) {
    $('chart-note').textContent = 'No trades stored yet: waiting for the recorder…';
    setTimeout(loadSymbols, 2000);
    return;
  }
  const wanted = new URLSearchParams(location.search);
  const preferred = symbols.find((s) => s.exchange === wanted.get('exchange') && s.symbol === wanted.get('symbol'));
  const chosen = preferred || symbols[0];
  select.value = JSON.stringify({ exchange: chosen.exchange, symbol: chosen.symbol });
  await selectSeries();
}

async function selectSeries() {
  state.series = JSON.parse($('symbol').value);
  state.interval = $('interval').value;
  state.intervalSeconds = { '1s': 1, '1m': 60, '5m': 300, '15m': 900, '1h': 3600 }[state.interval];
  await loadBars();
  connectLive();
  loadGaps();
  loadBook();
}

async function loadBars() {
  $('chart-note').textContent = '';
  try {
    const bars = await api('/api/v1/bars?' + query({ interval: state.interval, last: '500', format: 'json' }));
    candles.setData(bars.map((b) => ({ time: seconds(b.ts), open: +b.open, high: +b.high, low: +b.low, close: +b.close })));
    volume.setData(bars.map((b) => ({ time: seconds(b.ts), value: +b.volume, color: +b.close >= +b.open ? '#26a69a80' : '#ef535080' })));
    state.candles = bars.length;
    const lastBar = bars[bars.length - 1];
    forming = lastBar ? { time: seconds(lastBar.ts), open: +lastBar.open, high: +lastBar.high, low: +lastBar.low, close: +lastBar.close, volume: +lastBar.volume } : null;
    chart.timeScale().fitContent();
  } catch (e) {
    $('chart-note').textContent = 'bars: ' + e.message;
  }
}

function connectLive() {
  if (state.socket) { state.socket.onclose = null; state.socket.close(); }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const extra = token ? { access_token: token } : {};
  const socket = new WebSocket(scheme + '://' + location.host + '/api/v1/live?' + query(extra));
  state.socket = socket;
  socket.onopen = () => { $('live').textContent = 'live'; $('live').className = 'pill on'; };
  socket.onclose = () => {
    $('live').textContent = 'offline'; $('live').className = 'pill off';
    setTimeout(() => { if (state.socket === socket) connectLive(); }, 2000);
  };
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'trade') onTrade(message);
  };
}

function onTrade(trade) {
  state.trades++;
  state.last = trade;
  const t = Math.floor(trade.ts_ns / 1e9 / state.intervalSeconds) * state.intervalSeconds;
  const price = +trade.price;
  const qty = +trade.qty;
  if (forming && t < forming.time) return; // older than what is drawn (replayed data)
  if (!forming || t > forming.time) {
    forming = { time: t, open: price, high: price, low: price, close: price, volume: 0 };
    state.candles++;
  }
  forming.high = Math.max(forming.high, price);
  forming.low = Math.min(forming.low, price);
  forming.close = price;
  forming.volume += qty;
  candles.update({ time: forming.time, open: forming.open, high: forming.high, low: forming.low, close: forming.close });
  volume.update({ time: forming.time, value: forming.volume, color: forming.close >= forming.open ? '#26a69a80' : '#ef535080' });
  state.updates++;
  $('last').textContent = trade.ts.replace('T', ' ').slice(0, 23) + '  ' + trade.price + ' × ' + trade.qty + ' ' + trade.side;
}

async function loadBook(event) {
  if (event) event.preventDefault();
  const at = $('book-at').value.trim();
  const body = $('book').querySelector('tbody');
  $('book-note').textContent = '';
  try {
    const params = { depth: $('book-depth').value };
    if (at) params.at = at;
    const book = await api('/api/v1/book?' + query(params));
    body.innerHTML = '';
    const max = Math.max(1, ...book.bids.map((l) => +l.qty), ...book.asks.map((l) => +l.qty));
    const row = (side, l) => {
      const tr = document.createElement('tr');
      tr.innerHTML = '<td class="' + side + '">' + side + ' ' + l.level + '</td><td class="' + side + '">' + l.price +
        '</td><td>' + l.qty + '</td><td class="bar"><div style="width:' + Math.round(70 * +l.qty / max) + 'px"></div></td>';
      body.appendChild(tr);
    };
    [...book.asks].reverse().forEach((l) => row('ask', l));
    book.bids.forEach((l) => row('bid', l));
    $('book-note').textContent = 'as of ' + book.at + (book.gaps && book.gaps.length ? ' — ' + book.gaps.length + ' gap(s) nearby' : '');
  } catch (e) {
    body.innerHTML = '';
    $('book-note').textContent = 'book: ' + e.message;
  }
}

async function loadGaps() {
  const list = $('gaps');
  try {
    const gaps = await api('/api/v1/gaps?' + query({}));
    list.innerHTML = gaps.length ? '' : '<li class="muted">none</li>';
    for (const g of gaps.slice(-20)) {
      const li = document.createElement('li');
      li.textContent = g.channel + ' ' + g.from.slice(11, 23) + ' → ' + g.to.slice(11, 23) + ' (' + g.reason + ')';
      list.appendChild(li);
    }
  } catch (e) {
    list.innerHTML = '<li class="muted">' + e.message + '</li>';
  }
}

async function loadFeeds() {
  const body = $('feeds').querySelector('tbody');
  try {
    const feeds = await api('/api/v1/feeds');
    body.innerHTML = '';
    $('feeds-note').textContent = feeds.length ? '' : 'not recording in this process';
    for (const f of feeds) {
      const tr = document.createElement('tr');
      tr.innerHTML = '<td>' + f.name + '</td><td>' + f.messages_per_second.toFixed(0) + '</td><td>' +
        (f.commit_latency_p99_ms == null ? '–' : f.commit_latency_p99_ms.toFixed(1) + ' ms') + '</td><td>' + f.reconnects +
        '</td><td>' + f.gaps + '</td><td>' + f.malformed + '</td>';
      body.appendChild(tr);
    }
  } catch (e) {
    $('feeds-note').textContent = 'feeds: ' + e.message;
  }
}

$('symbol').addEventListener('change', selectSeries);
$('interval').addEventListener('change', selectSeries);
$('book-form').addEventListener('submit', loadBook);
setInterval(loadFeeds, 2000);
setInterval(() => { if (state.series) loadGaps(); }, 10000);
loadFeeds();
loadSymbols().catch((e) => { $('chart-note').textContent = e.message; });
