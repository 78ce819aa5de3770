/**
 * The page's one script: draws the performance charts with the bundled uPlot from the report's
 * embedded JSON (everything else on the page is static HTML and SVG). Plain ES2017, no modules,
 * so it runs from a file:// page in any current browser; a failure is shown on the page, logged
 * to the console and flagged on <body> (`data-render-error`), where the browser test looks.
 */
export const pageScript = String.raw`
(function () {
  'use strict';
  var body = document.body;
  var charts = [];
  try {
    var report = JSON.parse(document.getElementById('report-data').textContent);
    var view = JSON.parse(document.getElementById('report-view').textContent);
    drawPerformance(report, view);
    window.addEventListener('resize', function () {
      charts.forEach(function (chart) {
        chart.plot.setSize({ width: chart.element.clientWidth, height: chart.height });
      });
    });
    body.setAttribute('data-rendered', 'true');
  } catch (error) {
    var message = error && error.message ? error.message : String(error);
    body.setAttribute('data-render-error', message);
    var box = document.getElementById('render-error');
    box.textContent = 'The charts could not be drawn: ' + message;
    box.hidden = false;
    console.error('driftwatch report: ' + (error && error.stack ? error.stack : message));
  }

  function iso(ts) {
    return new Date(ts).toISOString().slice(0, 19).replace('T', ' ');
  }

  function seriesStyle(series, view) {
    var style = { label: series.label, width: 2, spanGaps: false, points: { show: false },
      value: function (u, v) { return v == null ? '—' : v.toFixed(3); } };
    if (series.of.kind === 'version') style.stroke = view.versionColors[series.of.version];
    if (series.of.kind === 'never-retrained') {
      style.stroke = view.neverRetrainedColor;
      style.dash = [7, 5];
    }
    if (series.of.kind === 'served') {
      style.stroke = view.servedColor;
      style.width = 1;
      style.show = false;
    }
    if (series.basis === 'estimated') {
      style.dash = [2, 4];
      style.label = series.label + ' (estimated)';
    }
    return style;
  }

  function markerPlugin(markers, view, labelled) {
    var ratio = window.devicePixelRatio || 1;
    return {
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx;
          var box = u.bbox;
          ctx.save();
          markers.forEach(function (marker) {
            var x = Math.round(u.valToPos(marker.ts, 'x', true));
            if (x < box.left || x > box.left + box.width) return;
            var style = view.markers[marker.kind];
            var color = style.color === 'version' ? view.versionColors[marker.ref] : style.color;
            var strong = marker.kind === 'takeover' || marker.kind === 'known-drift';
            ctx.strokeStyle = color;
            ctx.lineWidth = (strong ? 2 : 1.5) * ratio;
            ctx.setLineDash(style.dash.map(function (d) { return d * ratio; }));
            ctx.beginPath();
            ctx.moveTo(x, box.top);
            ctx.lineTo(x, box.top + box.height);
            ctx.stroke();
            if (labelled && strong) {
              ctx.setLineDash([]);
              ctx.fillStyle = color;
              // uPlot leaves the axes' alignment behind; the label runs down from the top.
              ctx.textAlign = 'left';
              ctx.textBaseline = 'alphabetic';
              ctx.font = 'bold ' + 11 * ratio + 'px system-ui, "DejaVu Sans", sans-serif';
              ctx.save();
              ctx.translate(x + 5 * ratio, box.top + 6 * ratio);
              ctx.rotate(Math.PI / 2);
              // A white halo keeps the label readable where it crosses a line.
              ctx.strokeStyle = 'rgba(255,255,255,0.9)';
              ctx.lineWidth = 3 * ratio;
              ctx.strokeText(marker.label, 0, 0);
              ctx.fillText(marker.label, 0, 0);
              ctx.restore();
            }
          });
          ctx.restore();
        }]
      }
    };
  }

  function timeLabels(u, splits, axis, space, step) {
    var span = u.scales.x.max - u.scales.x.min;
    return splits.map(function (ts) {
      var text = new Date(ts).toISOString();
      if (step >= 86400000) return span > 31536000000 ? text.slice(0, 10) : text.slice(5, 10);
      if (step >= 60000) return span > 86400000 ? text.slice(5, 10) + ' ' + text.slice(11, 16) : text.slice(11, 16);
      return text.slice(11, 19);
    });
  }

  function drawPerformance(report, view) {
    // The accuracy chart's legend stands for all three: hiding a line there hides it everywhere.
    var metrics = [['accuracy', 280], ['f1', 170], ['rocAuc', 170]];
    metrics.forEach(function (metric) {
      var key = metric[0];
      var element = document.getElementById('chart-' + key);
      var shown = report.performance.filter(function (s) { return s.metrics[key]; });
      if (shown.length === 0) return;
      var data = uPlot.join(shown.map(function (s) { return [s.ts, s.metrics[key]]; }));
      var options = {
        width: element.clientWidth || 1000,
        height: metric[1],
        ms: 1,
        tzDate: function (ts) { return uPlot.tzDate(new Date(ts), 'Etc/UTC'); },
        cursor: { sync: { key: 'performance' } },
        scales: {
          x: { time: true, range: [report.extent.from, report.extent.to] },
          y: { range: function (u, min, max) {
            var low = min == null ? 0 : Math.max(0, Math.floor(min * 10) / 10);
            return [Math.min(low, 0.5), 1];
          } }
        },
        axes: [
          { stroke: '#4b5563', grid: { stroke: '#f1f5f9' }, values: timeLabels },
          { stroke: '#4b5563', size: 46, grid: { stroke: '#f1f5f9' },
            values: function (u, values) { return values.map(function (v) { return v.toFixed(2); }); } }
        ],
        series: [{ label: 'time (UTC)', value: function (u, v) { return v == null ? '—' : iso(v); } }]
          .concat(shown.map(function (s) { return seriesStyle(s, view); })),
        legend: { show: key === 'accuracy' },
        hooks: key === 'accuracy' ? { setSeries: [followVisibility] } : {},
        plugins: [markerPlugin(report.markers, view, key === 'accuracy')]
      };
      var plot = new uPlot(options, data, element);
      charts.push({ plot: plot, element: element, height: metric[1] });
    });
  }

  function followVisibility(u, index, options) {
    if (index == null || !options || options.show === undefined) return;
    var label = u.series[index].label;
    charts.forEach(function (chart) {
      if (chart.plot === u) return;
      chart.plot.series.forEach(function (series, i) {
        if (i > 0 && series.label === label) chart.plot.setSeries(i, { show: options.show });
      });
    });
  }
})();
`;
