#!/usr/bin/env python3
"""Where H2Commits spends its CPU, from a JFR recording of one variant:

    java -cp /tmp/h2.jar:sigil-data/target/classes -Donly='8 users, at commit$' \
        -XX:StartFlightRecording=settings=profile,filename=/tmp/h2.jfr bench/h2/H2Commits.java 8 1
    jfr print --events jdk.ExecutionSample --stack-depth 64 /tmp/h2.jfr | bench/h2/commit-profile.py

Counts the execution samples in H2's code by what their stack holds: the statements, the commit's
serialization of changed pages (VARCHAR text, the page cache's upkeep, the rest) and the rest of
the commit. Then, within "serializing pages, the rest", the samples under a few methods (a sample
counts under every one on its stack) and the methods most often at the top of the stack.
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

WITHIN = [
    "org.h2.mvstore.db.RowDataType.write",
    "org.h2.mvstore.db.ValueDataType.write",
    "org.h2.mvstore.FileStore.acceptChunkOccupancyChanges",
    "org.h2.mvstore.FileStore.saveChunkMetadataChanges",
    "org.h2.mvstore.Chunk.asString",
    "sun.nio.ch.FileChannelImpl.write",
]
REST = GROUPS[2][0]

counts = collections.Counter()
within = collections.Counter()
tops = collections.Counter()
total = 0
for event in sys.stdin.read().split("jdk.ExecutionSample")[1:]:
    stack = re.findall(r"^\s+([\w.$<>]+)\(", event, re.M)
    frames = set(stack)
    if not any(frame.startswith("org.h2.") for frame in frames):
        continue
    total += 1
    group = next(name for name, needs in GROUPS if all(frame in frames for frame in needs))
    counts[group] += 1
    if group == REST:
        within.update(method for method in WITHIN if method in frames)
        tops[stack[0]] += 1
print(f"{total} samples in H2's code")
print("| where | samples | share |")
print("|-------|--------:|------:|")
for name, _ in GROUPS:
    print(f"| {name} | {counts[name]} | {100 * counts[name] / max(total, 1):.0f} % |")
print(f"\nWithin \"{REST}\" ({counts[REST]} samples), under:")
for method in WITHIN:
    print(f"- {method}: {within[method]}")
print("At the top of the stack: " + ", ".join(f"{method} {n}" for method, n in tops.most_common(5)))
