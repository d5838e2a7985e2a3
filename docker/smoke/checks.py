"""docker/smoke-test's checks of what the host reads: ./millrace status --json, kcat -L -J and
Prometheus' HTTP API. Each prints what it saw and exits 0 when the check passes.

  python3 docker/smoke/checks.py drained < status.json      every stage OK, lag 0, tokens written
  python3 docker/smoke/checks.py field EXPRESSION < status.json   print EXPRESSION of the report r
  python3 docker/smoke/checks.py replicas BROKERS < kcat.json     every Millrace topic on 3 replicas
  python3 docker/smoke/checks.py prometheus targets|series|rules
"""
import json
import sys
import urllib.parse
import urllib.request

MILLRACE_TOPICS = 8  # docs.raw, .clean, .unique, .duplicates, .rejected, tokens, trainer.progress, trainer.sync
ALERTS = "docker/prometheus/alerts.yml"


def rules_in(path):
    """The rule groups and rules the file defines, as Prometheus should load them."""
    lines = [line.strip() for line in open(path, encoding="utf-8")]
    groups = sum(1 for line in lines if line.startswith("- name:"))
    rules = sum(1 for line in lines if line.startswith(("- alert:", "- record:")))
    return groups, rules


def drained(report):
    bad = [f"{s['stage']}: {s['verdict']} lag {s['lag']}, internal {s['internalLag']}"
           for s in report["stages"]
           if s["stage"] != "train" and (s["verdict"] != "OK" or s["lag"] != 0 or s["internalLag"] != 0)]
    tokens = [t["endOffsets"] for t in report["topics"] if t["topic"] == "tokens"]
    print("; ".join(bad) or "every stage OK, lag 0", "| tokens end offsets", tokens)
    return not bad and tokens and tokens[0] > 0


def replicas(metadata, brokers):
    ours = [t for t in metadata["topics"] if t["topic"].startswith(("docs.", "tokens", "trainer."))]
    factors = sorted({len(p["replicas"]) for t in ours for p in t["partitions"]})
    print(f"{len(metadata['brokers'])} brokers; {len(ours)} Millrace topics; replication factors {factors}")
    return len(metadata["brokers"]) == brokers and len(ours) == MILLRACE_TOPICS and factors == [3]


def prometheus(what):
    def get(path):
        with urllib.request.urlopen("http://localhost:9090/api/v1/" + path, timeout=10) as response:
            return json.load(response)["data"]

    def query(expression):
        return get("query?query=" + urllib.parse.quote(expression))["result"]

    if what == "targets":
        targets = get("targets")["activeTargets"]
        down = [t["labels"]["instance"] for t in targets if t["health"] != "up"]
        print(f"{len(targets)} targets, down: {down or 'none'}")
        return len(targets) == 4 and not down
    if what == "series":
        loss = [round(float(s["value"][1]), 3) for s in query("millrace_trainer_loss")]
        groups = sorted(s["metric"]["group"] for s in query("sum by (group) (millrace_consumer_lag_records)"))
        print(f"millrace_trainer_loss {loss}; millrace_consumer_lag_records of {groups}")
        wanted = {"millrace-clean", "millrace-dedup", "millrace-tokenize", "millrace-trainer-default"}
        return bool(loss) and wanted <= set(groups)
    if what == "rules":
        groups = get("rules")["groups"]
        rules = [r for g in groups for r in g["rules"]]
        broken = [r["name"] for r in rules if r.get("health") == "err"]
        expected_groups, expected_rules = rules_in(ALERTS)
        print(f"{len(groups)} rule groups, {len(rules)} rules (of {expected_rules} in {ALERTS}),"
              f" in error: {broken or 'none'}")
        return len(groups) == expected_groups and len(rules) == expected_rules and not broken
    raise SystemExit(f"unknown prometheus check {what}")


def main(args):
    if args[0] == "drained":
        return drained(json.load(sys.stdin))
    if args[0] == "field":
        r = json.load(sys.stdin)
        print(eval(args[1], {}, {"r": r}))  # an expression of the smoke test's own
        return True
    if args[0] == "replicas":
        return replicas(json.load(sys.stdin), int(args[1]))
    if args[0] == "prometheus":
        return prometheus(args[1])
    raise SystemExit(f"unknown check {args[0]}")


if __name__ == "__main__":
    try:
        sys.exit(0 if main(sys.argv[1:]) else 1)
    except Exception as e:  # a report not there yet reads as a check not passed
        print(f"{type(e).__name__}: {e}")
        sys.exit(1)
