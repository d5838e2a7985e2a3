// The Millrace dashboard: polls GET /api/dashboard every two seconds and redraws its charts.
// The server keeps the history (DashboardHistory); the page only draws the latest snapshot, so a
// reload shows everything again.
'use strict';

const POLL_MILLIS = 2000;
const STAGE_COLOURS = { clean: '#2e90fa', dedup: '#7a5af8', tokenize: '#12b76a', train: '#f79009' };
const FALLBACK_COLOURS = ['#ee46bc', '#0ba5ec', '#875bf7', '#66c61c'];

const number = new Intl.NumberFormat('en');
const clock = (millis) => new Date(millis).toLocaleTimeString('en-GB');

function lineChart(id, xTitle, xTicks) {
  return new Chart(document.getElementById(id), {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      elements: { point: { radius: 0 }, line: { borderWidth: 2 } },
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { type: 'linear', title: { display: true, text: xTitle }, ticks: { callback: xTicks } },
        y: { beginAtZero: false },
      },
    },
  });
}

const charts = {
  loss: lineChart('loss-chart', 'step', (v) => number.format(v)),
  tokens: lineChart('tokens-chart', 'step', (v) => number.format(v)),
  tasks: lineChart('tasks-chart', 'step', (v) => number.format(v)),
  lag: lineChart('lag-chart', 'time', clock),
  rate: lineChart('rate-chart', 'time', clock),
  rejects: new Chart(document.getElementById('rejects-chart'), {
    type: 'bar',
    data: {
      labels: [],
      datasets: [{ label: 'records', data: [], backgroundColor: '#f04438', maxBarThickness: 24 }],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  }),
};
charts.tokens.options.scales.y.beginAtZero = true;
charts.tasks.options.scales.y.beginAtZero = true;
charts.lag.options.scales.y.beginAtZero = true;
charts.rate.options.scales.y.beginAtZero = true;

// For tests and the curious: window.millrace.charts, and how many snapshots were drawn.
window.millrace = { charts, snapshots: 0 };

function stageColour(stage, index) {
  return STAGE_COLOURS[stage] || FALLBACK_COLOURS[index % FALLBACK_COLOURS.length];
}

function setDatasets(chart, datasets) {
  // Keep the dataset objects when the series are the same, so that Chart.js only redraws.
  const same =
    chart.data.datasets.length === datasets.length &&
    chart.data.datasets.every((d, i) => d.label === datasets[i].label);
  if (same) {
    datasets.forEach((d, i) => { chart.data.datasets[i].data = d.data; });
  } else {
    chart.data.datasets = datasets;
  }
  chart.update('none');
}

function drawTrainer(snapshot) {
  setDatasets(charts.loss, [
    { label: 'training', data: snapshot.loss.map((p) => ({ x: p.step, y: p.loss })),
      borderColor: '#2e90fa', backgroundColor: '#2e90fa' },
    { label: 'validation', data: snapshot.validationLoss.map((p) => ({ x: p.step, y: p.loss })),
      borderColor: '#f04438', backgroundColor: '#f04438', pointRadius: 3 },
  ]);
  // one line per benchmark task of trainer.eval.tasks, and its chance level dashed
  const taskNames = [...new Set(snapshot.taskAccuracy.map((p) => p.task))];
  setDatasets(charts.tasks, taskNames.flatMap((task, i) => {
    const points = snapshot.taskAccuracy.filter((p) => p.task === task);
    const colour = FALLBACK_COLOURS[i % FALLBACK_COLOURS.length];
    const lines = [{ label: task + ' acc', data: points.map((p) => ({ x: p.step, y: p.acc })),
      borderColor: colour, backgroundColor: colour, pointRadius: 3 }];
    if (points.length > 0 && points[0].chance != null) {
      lines.push({ label: task + ' chance', data: points.map((p) => ({ x: p.step, y: p.chance })),
        borderColor: colour, backgroundColor: colour, borderDash: [4, 4], pointRadius: 0 });
    }
    return lines;
  }));
  setDatasets(charts.tokens, [
    { label: 'tokens/s', data: snapshot.loss.map((p) => ({ x: p.step, y: p.tokensPerSecond })),
      borderColor: '#12b76a', backgroundColor: '#12b76a' },
  ]);
  const trainer = snapshot.trainer;
  text('run', snapshot.run || '–');
  text('step', trainer ? number.format(trainer.step) : '–');
  text('loss', trainer ? trainer.latestLoss.toFixed(4) : '–');
  text('validation-loss', trainer && trainer.validationLoss != null
    ? trainer.validationLoss.toFixed(4) + ' @ ' + number.format(trainer.validationStep) : '–');
  text('tokens-per-second', trainer ? number.format(Math.round(trainer.tokensPerSecond)) : '–');
  text('checkpoint', trainer && trainer.checkpointStep != null
    ? 'step ' + number.format(trainer.checkpointStep) : 'none yet');
}

function drawStages(snapshot) {
  const series = (field) => snapshot.stages.map((stage, i) => ({
    label: stage.stage,
    data: stage.history.filter((s) => s[field] != null).map((s) => ({ x: s.at, y: s[field] })),
    borderColor: stageColour(stage.stage, i),
    backgroundColor: stageColour(stage.stage, i),
  }));
  setDatasets(charts.lag, series('lag'));
  setDatasets(charts.rate, series('rate'));

  const rows = document.querySelector('#stages tbody');
  rows.replaceChildren(...snapshot.stages.map((stage) => {
    const row = document.createElement('tr');
    const cells = [
      stage.stage,
      stage.verdict || '–',
      number.format(stage.lag),
      stage.lagSeconds.toFixed(1),
      stage.rate == null ? '–' : stage.rate.toFixed(1),
    ];
    cells.forEach((value, i) => {
      const cell = document.createElement('td');
      cell.textContent = value;
      if (i === 1) cell.className = 'verdict-' + value;
      row.appendChild(cell);
    });
    return row;
  }));
}

function drawRejects(snapshot) {
  const chart = charts.rejects;
  chart.data.labels = snapshot.rejects.map((r) =>
    [r.stage, r.filter, r.reason].filter((part) => part).join(' · '));
  chart.data.datasets[0].data = snapshot.rejects.map((r) => r.count);
  chart.update('none');
}

function drawSamples(snapshot) {
  text('samples-note', snapshot.samplesNote || '');
  const list = document.getElementById('sample-list');
  list.replaceChildren(...snapshot.samples.map((sample) => {
    const box = document.createElement('div');
    box.className = 'sample';
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = sample.checkpoint + ' (step ' + number.format(sample.step) + '), sampled at '
      + clock(sample.at);
    const pre = document.createElement('pre');
    const prompt = document.createElement('span');
    prompt.className = 'prompt';
    prompt.textContent = sample.prompt;
    pre.append(prompt, sample.text);
    box.append(meta, pre);
    return box;
  }));
}

function text(id, value) {
  document.getElementById(id).textContent = value;
}

async function poll() {
  try {
    const response = await fetch('api/dashboard', { cache: 'no-store' });
    const snapshot = await response.json();
    text('cluster', snapshot.bootstrapServers
      ? 'Kafka ' + snapshot.bootstrapServers + ' · read at ' + clock(snapshot.readAt)
      : 'waiting for the first read of the cluster…');
    const error = document.getElementById('error');
    error.hidden = !snapshot.error;
    error.textContent = snapshot.error || '';
    drawTrainer(snapshot);
    drawStages(snapshot);
    drawRejects(snapshot);
    drawSamples(snapshot);
    window.millrace.snapshots++;
  } catch (e) {
    const error = document.getElementById('error');
    error.hidden = false;
    error.textContent = 'the dashboard does not answer (' + e.message + ')';
  } finally {
    setTimeout(poll, POLL_MILLIS);
  }
}

poll();
