#!/usr/bin/env python3
"""Where H2Commits spends its CPU, from a JFR recording of one variant:

    java -cp /tmp/h2.jar:sigil-data/target/classes -Donly='8 users, at commit$' \
        -XX:StartFlightRecording=settings=profile,filename=/tmp/h2.jfr bench/h2/H2Commits.java 8 1
    jfr print --events jdk.ExecutionSample --stack-depth 64 /tmp/h2.jfr | bench/h2/commit-profile.py

Counts the execution samples in H2's code by what their stack holds: the statements, the commit's
serialization of changed pages (VARCHAR text, the page cache's upkeep, the rest) and the rest of
the commit.
"""
import collections
import re
import sys

GROUPS = [
    ("commit: serializing pages, VARCHAR text", ["org.h2.mvstore.FileStore.serializeAndStore",
                                                 "org.h2.mvstore.WriteBuffer.putStringData"]),
    ("commit: serializing pages, putting them in H2's page cache", ["org.h2.mvstore.FileStore.serializeAndStore",
                                                                    "org.h2.mvstore.FileStore.cachePage"]),
    ("commit: serializing pages, the rest", ["org.h2.mvstore.FileStore.serializeAndStore"]),
    ("commit: the rest (undo log, commit marks, locks)", ["org.h2.mvstore.tx.Transaction.commit"]),
    ("statements (reads, the row lock, update, insert)", []),
]

counts = collections.Counter()
total = 0
for event in sys.stdin.read().split("jdk.ExecutionSample")[1:]:
    frames = set(re.findall(r"^\s+([\w.$<>]+)\(", event, re.M))
    if not any(frame.startswith("org.h2.") for frame in frames):
        continue
    total += 1
    counts[next(name for name, needs in GROUPS if all(frame in frames for frame in needs))] += 1
print(f"{total} samples in H2's code")
print("| where | samples | share |")
print("|-------|--------:|------:|")
for name, _ in GROUPS:
    print(f"| {name} | {counts[name]} | {100 * counts[name] / max(total, 1):.0f} % |")
