"""Writes driftwatch.json, the Grafana dashboard docker-compose provisions. Run it after changing a
panel: `python3 deploy/grafana/dashboards/generate_dashboard.py`. Every metric a panel queries is
checked to exist by test/deploy/grafana-dashboard.test.ts."""
import json
from pathlib import Path

PANELS = [
    # (title, unit, [(expr, legend)])
    ("Window accuracy (serving versions)", "percentunit",
     [("driftwatch_detector_window_accuracy_ratio", "{{model}} v{{model_version}}")]),
    ("Accuracy estimated without labels (CBPE) vs realized", "percentunit",
     [("driftwatch_detector_estimated_accuracy_ratio", "estimated {{model}} v{{model_version}}"),
      ("driftwatch_detector_window_accuracy_ratio", "realized {{model}} v{{model_version}}")]),
    ("F1 and ROC-AUC", "percentunit",
     [("driftwatch_detector_window_f1_ratio", "F1 {{model}} v{{model_version}}"),
      ("driftwatch_detector_window_roc_auc_ratio", "AUC {{model}} v{{model_version}}")]),
    ("ADWIN on the error stream", "percentunit",
     [("driftwatch_detector_adwin_error_rate_ratio", "error rate {{model}} v{{model_version}}")]),
    ("PSI per feature vs training reference", "none",
     [("driftwatch_detector_psi", "{{model}} v{{model_version}} {{feature}}")]),
    ("Drift alerts (per 5 min)", "none",
     [("sum by (model, kind, detector) (increase(driftwatch_detector_alerts_total[5m]))", "{{model}} {{kind}}/{{detector}}")]),
    ("Retrain requests (per 5 min)", "none",
     [("sum by (model, reason) (increase(driftwatch_detector_retrain_requests_total[5m]))", "{{model}} {{reason}}")]),
    ("Serving model version", "none",
     [("max by (model) (driftwatch_inference_served_model_version)", "{{model}}")]),
    ("Trained versions (per 5 min)", "none",
     [("sum by (model, status) (increase(driftwatch_trainer_versions_total[5m]))", "{{model}} {{status}}")]),
    ("Predictions and joins per second", "ops",
     [("sum(rate(driftwatch_inference_predictions_total[1m]))", "predictions"),
      ("sum(rate(driftwatch_joiner_joins_total[1m]))", "joins")]),
    ("Label delay p50 / p90", "s",
     [("histogram_quantile(0.5, sum by (le) (rate(driftwatch_joiner_label_delay_seconds_bucket[5m])))", "p50"),
      ("histogram_quantile(0.9, sum by (le) (rate(driftwatch_joiner_label_delay_seconds_bucket[5m])))", "p90")]),
    ("Join backlog and never-labeled", "none",
     [("driftwatch_joiner_backlog_pairs", "waiting for their other half"),
      ("increase(driftwatch_joiner_expired_predictions_total[5m])", "expired unlabeled (5 min)")]),
    ("Dead letters (per 5 min)", "none",
     [("sum by (code) (increase(driftwatch_inference_dead_letters_total[5m]))", "inference {{code}}"),
      ("sum by (code) (increase(driftwatch_joiner_dead_letters_total[5m]))", "joiner {{code}}"),
      ("sum by (code) (increase(driftwatch_detector_dead_letters_total[5m]))", "detector {{code}}"),
      ("sum by (code) (increase(driftwatch_trainer_dead_letters_total[5m]))", "trainer {{code}}")]),
    ("Inference latency: event to prediction, and one scoring call", "s",
     [("histogram_quantile(0.5, sum by (le) (rate(driftwatch_inference_event_to_prediction_seconds_bucket[5m])))", "event to prediction p50"),
      ("histogram_quantile(0.99, sum by (le) (rate(driftwatch_inference_event_to_prediction_seconds_bucket[5m])))", "event to prediction p99"),
      ("histogram_quantile(0.99, sum by (le) (rate(driftwatch_inference_scoring_duration_seconds_bucket[5m])))", "scoring call p99")]),
    # The same ratios as the driftwatch:dead_letter_ratio:rate5m recording rules, spelled out so
    # the panel works against a Prometheus without deploy/prometheus/rules.
    ("Error rate (dead letters / records consumed)", "percentunit",
     [("sum(rate(driftwatch_inference_dead_letters_total[5m])) / sum(rate(driftwatch_inference_events_consumed_total[5m]))", "inference"),
      ("sum(rate(driftwatch_joiner_dead_letters_total[5m])) / sum(rate(driftwatch_joiner_records_consumed_total[5m]))", "joiner"),
      ("sum(rate(driftwatch_detector_dead_letters_total[5m])) / sum(rate(driftwatch_detector_records_consumed_total[5m]))", "detector"),
      ("sum(rate(driftwatch_trainer_dead_letters_total[5m])) / sum(rate(driftwatch_trainer_requests_consumed_total[5m]))", "trainer")]),
    ("Consumer lag (records left to read, per topic)", "none",
     [("sum by (topic) (driftwatch_inference_consumer_lag_records)", "inference {{topic}}"),
      ("sum by (topic) (driftwatch_joiner_consumer_lag_records)", "joiner {{topic}}"),
      ("sum by (topic) (driftwatch_detector_consumer_lag_records)", "detector {{topic}}"),
      ("sum by (topic) (driftwatch_trainer_consumer_lag_records)", "trainer {{topic}}")]),
]

panels = []
for index, (title, unit, targets) in enumerate(PANELS):
    panels.append({
        "id": index + 1,
        "type": "timeseries",
        "title": title,
        "datasource": {"type": "prometheus", "uid": "prometheus"},
        "gridPos": {"h": 8, "w": 12, "x": (index % 2) * 12, "y": (index // 2) * 8},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "targets": [
            {"refId": chr(ord("A") + i), "expr": expr, "legendFormat": legend,
             "datasource": {"type": "prometheus", "uid": "prometheus"}}
            for i, (expr, legend) in enumerate(targets)
        ],
    })

dashboard = {
    "uid": "driftwatch",
    "title": "driftwatch",
    "tags": ["driftwatch"],
    "timezone": "browser",
    "schemaVersion": 39,
    "refresh": "5s",
    "time": {"from": "now-30m", "to": "now"},
    "panels": panels,
}
Path(__file__).with_name("driftwatch.json").write_text(json.dumps(dashboard, indent=2) + "\n")
