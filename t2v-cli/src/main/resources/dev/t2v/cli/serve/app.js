// t2v web UI: submit a request, poll its job for progress, show the result, list this session's history.
// User text only ever reaches the page through textContent, never parsed as HTML.
'use strict';

const POLL_MS = 300;
const HISTORY_MS = 3000;
const STAGES = { encode: 'Encoding prompt', denoise: 'Denoising', decode: 'Decoding', write: 'Writing files' };
const NUMERIC = ['frames', 'steps', 'guidanceScale'];
// Every default comes from /api/defaults, the model's own; a field left empty is left out, and the model's applies.
const DEFAULTED = ['frames', 'steps', 'guidanceScale', 'guidanceInterval', 'sampler'];

const $ = (id) => document.getElementById(id);
let tracked = null;      // id of the job whose progress is shown
let shown = null;        // id of the job whose result is shown
let pollTimer = null;
let historySignature = '';

async function api(path, options) {
  const response = await fetch(path, Object.assign({ cache: 'no-store' }, options));
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  return { status: response.status, body };
}

async function loadDefaults() {
  const r = await api('/api/defaults');
  if (r.status !== 200 || !r.body) {
    return;
  }
  const { defaults, limits, samplers } = r.body;
  const select = $('sampler');
  select.replaceChildren(...samplers.map((name) => {
    const o = document.createElement('option');
    o.value = name;
    o.textContent = name;
    return o;
  }));
  for (const field of DEFAULTED) {
    if (defaults[field] !== undefined) {
      $(field).value = defaults[field];
    }
  }
  for (const field of ['frames', 'steps', 'guidanceScale', 'seed']) {
    if (limits[field]) {
      $(field).min = limits[field].min;
      $(field).max = limits[field].max;
    }
  }
  $('prompt').maxLength = limits.promptChars;
  $('negativePrompt').maxLength = limits.promptChars;
}

function readForm() {
  const req = {
    prompt: $('prompt').value,
    negativePrompt: $('negativePrompt').value,
    sampler: $('sampler').value,
  };
  for (const field of NUMERIC) {
    const value = $(field).value.trim();
    if (value !== '') {
      req[field] = Number(value);
    }
  }
  const interval = $('guidanceInterval').value.trim();
  if (interval !== '') {
    req.guidanceInterval = interval;
  }
  const seed = $('seed').value.trim();
  if (seed !== '') {
    req.seed = Number(seed);
  }
  return req;
}

function fillForm(request) {
  for (const field of ['prompt', 'negativePrompt', 'sampler', 'guidanceInterval', ...NUMERIC, 'seed']) {
    if (request[field] !== undefined) {
      $(field).value = request[field];
    }
  }
}

function showError(message, field) {
  clearError();
  const box = $('error');
  box.textContent = message;
  box.hidden = false;
  const input = field && $(field);
  if (input) {
    input.classList.add('invalid');
    input.focus();
  }
}

function clearError() {
  $('error').hidden = true;
  document.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
}

async function submit(event) {
  event.preventDefault();
  clearError();
  const button = $('generate');
  button.disabled = true;
  try {
    const r = await api('/api/generate', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(readForm()),
    });
    if (r.status === 202 && r.body) {
      track(r.body);
      refreshHistory();
    } else {
      showError((r.body && r.body.error) || ('the server answered HTTP ' + r.status), r.body && r.body.field);
    }
  } catch (e) {
    showError('cannot reach the server: ' + e.message);
  } finally {
    button.disabled = false;
  }
}

function track(job) {
  tracked = job.id;
  clearTimeout(pollTimer);
  renderProgress(job);
  pollTimer = setTimeout(poll, POLL_MS);
}

async function poll() {
  const id = tracked;
  let r;
  try {
    r = await api('/api/jobs/' + encodeURIComponent(id));
  } catch (e) {
    $('status').textContent = 'Lost contact with the server; retrying…';
    pollTimer = setTimeout(poll, POLL_MS * 5);
    return;
  }
  if (id !== tracked) {
    return; // a newer job took over while this answer was on its way
  }
  if (r.status !== 200 || !r.body) {
    $('status').textContent = (r.body && r.body.error) || ('HTTP ' + r.status);
    $('cancel').hidden = true;
    return;
  }
  renderProgress(r.body);
  if (isTerminal(r.body.state)) {
    if (r.body.state === 'done') {
      showResult(r.body);
    }
    refreshHistory();
  } else {
    pollTimer = setTimeout(poll, POLL_MS);
  }
}

function isTerminal(state) {
  return state === 'done' || state === 'failed' || state === 'cancelled';
}

function renderProgress(job) {
  $('progress-box').hidden = false;
  $('empty').hidden = true;
  const bar = $('progress');
  const status = $('status');
  $('cancel').hidden = isTerminal(job.state);
  if (job.state === 'queued') {
    bar.removeAttribute('value'); // indeterminate
    status.textContent = 'Queued' + (job.ahead > 0 ? ' — ' + job.ahead + ' ahead' : '');
  } else if (job.state === 'running') {
    const label = STAGES[job.stage] || job.stage || 'Starting';
    if (job.total > 0) {
      bar.value = job.done / job.total;
      status.textContent = label + ' ' + job.done + '/' + job.total;
    } else {
      bar.removeAttribute('value');
      status.textContent = label + '…';
    }
  } else if (job.state === 'done') {
    bar.value = 1;
    status.textContent = 'Done in ' + seconds(job.elapsedMs);
  } else {
    bar.value = 0;
    status.textContent = (job.state === 'failed' ? 'Failed: ' : 'Cancelled: ') + (job.error || '');
  }
  status.dataset.state = job.state;
}

function seconds(ms) {
  return ms == null ? '' : (ms / 1000).toFixed(1) + ' s';
}

function describe(request) {
  const interval = request.guidanceInterval && request.guidanceInterval !== 'all'
    ? ' at t ' + request.guidanceInterval : '';
  return request.frames + ' frames · ' + request.steps + ' ' + request.sampler + ' steps · guidance '
    + request.guidanceScale + interval + ' · seed ' + request.seed;
}

function showResult(job) {
  shown = job.id;
  const result = $('result');
  result.dataset.jobId = job.id;
  $('empty').hidden = true;
  $('result-caption').textContent = job.request.prompt || '(empty prompt: unconditional)';
  $('result-meta').textContent = describe(job.request)
    + (job.request.negativePrompt ? ' · not: ' + job.request.negativePrompt : '')
    + ' · ' + seconds(job.elapsedMs);
  $('result-gif').src = job.files.gif;
  $('result-sheet').src = job.files.sheet;
  const video = $('result-video');
  video.hidden = false;
  $('video-caption').hidden = false;
  $('video-note').hidden = true;
  video.src = job.files.mp4;
  video.load();
  const links = { 'dl-mp4': job.files.mp4, 'dl-gif': job.files.gif, 'dl-sheet': job.files.sheet };
  for (const [id, href] of Object.entries(links)) {
    $(id).href = href;
    $(id).download = 't2v-' + job.id + '-' + href.substring(href.lastIndexOf('/') + 1);
  }
  result.hidden = false;
  markSelected();
}

function videoFailed() {
  // Chromium builds without proprietary codecs cannot decode H.264; the GIF stays as the preview.
  $('result-video').hidden = true;
  $('video-caption').hidden = true;
  $('video-note').hidden = false;
}

async function cancel() {
  if (!tracked) {
    return;
  }
  const r = await api('/api/jobs/' + encodeURIComponent(tracked), { method: 'DELETE' });
  if (r.status === 200 && r.body) {
    renderProgress(r.body);
  }
}

async function refreshHistory() {
  let r;
  try {
    r = await api('/api/history');
  } catch (e) {
    return;
  }
  if (r.status !== 200 || !r.body) {
    return;
  }
  const jobs = r.body.jobs;
  const signature = jobs.map((j) => j.id + ':' + j.state + ':' + j.done).join(',');
  if (signature === historySignature) {
    return; // unchanged: keep the thumbnails where they are
  }
  historySignature = signature;
  $('history-empty').hidden = jobs.length > 0;
  $('history').replaceChildren(...jobs.map(historyItem));
  markSelected();
}

function historyItem(job) {
  const li = document.createElement('li');
  li.dataset.jobId = job.id;
  li.dataset.state = job.state;
  li.tabIndex = 0;
  let thumb;
  if (job.state === 'done') {
    thumb = document.createElement('img');
    thumb.src = job.files.gif;
    thumb.alt = '';
    thumb.loading = 'lazy';
  } else {
    thumb = document.createElement('div');
    thumb.className = 'thumb';
  }
  const text = document.createElement('div');
  const prompt = document.createElement('div');
  prompt.className = 'prompt';
  prompt.textContent = job.request.prompt || '(empty prompt: unconditional)';
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.textContent = describe(job.request);
  const state = document.createElement('div');
  state.className = 'meta state-' + job.state;
  state.textContent = job.state === 'done' ? 'done in ' + seconds(job.elapsedMs)
    : job.state === 'running' ? 'running: ' + (job.stage || '') + ' ' + job.done + '/' + job.total
      : job.state + (job.error ? ': ' + job.error : '');
  const reuse = document.createElement('button');
  reuse.type = 'button';
  reuse.className = 'secondary small';
  reuse.textContent = 'Reuse settings';
  reuse.addEventListener('click', (e) => {
    e.stopPropagation();
    fillForm(job.request);
    $('prompt').focus();
  });
  text.append(prompt, meta, state, reuse);
  li.append(thumb, text);
  const open = () => {
    if (job.state === 'done') {
      showResult(job);
    } else if (!isTerminal(job.state)) {
      track(job);
    }
  };
  li.addEventListener('click', open);
  li.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      open();
    }
  });
  return li;
}

function markSelected() {
  document.querySelectorAll('#history li').forEach((li) => {
    li.classList.toggle('selected', li.dataset.jobId === shown);
  });
}

document.addEventListener('DOMContentLoaded', () => {
  $('generate-form').addEventListener('submit', submit);
  $('cancel').addEventListener('click', cancel);
  $('result-video').addEventListener('error', videoFailed);
  loadDefaults().catch(() => {}).finally(() => { document.body.dataset.ready = 'true'; });
  refreshHistory();
  setInterval(refreshHistory, HISTORY_MS);
});
