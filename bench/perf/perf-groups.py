#!/usr/bin/env python3
"""Groups the perf samples of bench/perf/ingest-profile.sh by thread and by what the code does; prints a Markdown
table in CPU ns per row (ranges over the directories given). Each sample goes to the first frame, leaf first, that
a rule below names (so a JDK stub, libc copy or JNI helper counts for its Java caller); a kernel leaf goes to its
system call (or page faults); zstd by its own functions. usage: perf-groups.py OUTDIR [OUTDIR...]"""
import collections, re, sys

HZ = 2999
RULES = [(g, re.compile(r)) for g, r in [
    ('zstd: Huffman table build/write', r'^(HUF_buildCTable|HUF_writeCTable|HUF_simpleQuickSort|HUF_sort|HUF_optimalTableLog'
                                        r'|HUF_compress4X_repeat|HUF_compressCTable_internal|HUF_validateCTable|HUF_estimateCompressedSize)'),
    ('zstd: Huffman encoding', r'^HUF_compress1X|^HUF_compress4X_usingCTable'),
    ('zstd: byte histograms (HIST_count)', r'^HIST_'),
    ('zstd: match finder (level 1-2, fast)', r'^ZSTD_compressBlock_fast'),
    ('zstd: FSE tables + sequence coding', r'^(FSE_|ZSTD_buildSequencesStatistics|ZSTD_encodeSequences|ZSTD_entropyCompressSeqStore'
                                           r'|ZSTD_seqToCodes|ZSTD_buildCTable|ZSTD_buildSeqStore|ZSTD_selectEncodingType|ZSTD_NCountCost)'),
    ('zstd: frame/context set-up, rest', r'^(HUF_|HIST_|FSE_|ZSTD_|Java_com_github_luben)'),
    ('zstd-jni + JNI glue', r'com\.github\.luben|jni_Get|jni_Release|jni_IsInstance|UpcallLinker'),
    ('BlockCompressor (copies, frame choice)', r'BlockCompressor\.'),
    ('encode: FramePlan.write (times, ids)', r'LongColumnCodec\$FramePlan\.write'),
    ('encode: LongColumnCodec.planFast', r'LongColumnCodec\.planFast'),
    ('encode: LongColumnCodec.encodeBytePlanes', r'LongColumnCodec\.encodeBytePlanes'),
    ('encode: LongColumnCodec.encodeDeltaVarints', r'LongColumnCodec\.encodeDeltaVarints'),
    ('encode: LongColumnCodec, other', r'LongColumnCodec\.|EncodeKernels\.'),
    ('encode: ColumnBlockCodec.fillSplitReceiveTimes', r'ColumnBlockCodec\.fillSplitReceiveTimes'),
    ('encode: ColumnBlockCodec.fillTradeSection', r'ColumnBlockCodec\.fillTradeSection'),
    ('encode: ColumnBlockCodec, other', r'ColumnBlockCodec\.'),
    ('tile copy (TradeAppender.copy*)', r'TradeAppender\.copy'),
    ('pre-encode driver (WriterBuffers, TradePreEncoder)', r'WriterBuffers\.|TradePreEncoder'),
    ('append (BufferedStoreWriter.appendTrade)', r'BufferedStoreWriter\.appendTrade|TradeAppender\.'),
    ('benchmark source loop (SyntheticTradeBatch.appendTo)', r'SyntheticTradeBatch\.appendTo'),
    ('commit hand-over (commitAsync)', r'BufferedStoreWriter\.'),
    ('CommitCodec (record assembly)', r'CommitCodec\.'),
    ('memtable publish', r'SeriesSlot\.publish|memtable\.'),
    ('log write (WriteAheadLog)', r'WriteAheadLog\.|store\.wal\.'),
    ('flush / chunk files', r'ChunkWriter\.|StoreEngine\.|partition\.|FlushHelper'),
    ('park / unpark / wait', r'LockSupport|AbstractQueuedSynchronizer|ObjectMonitor|Object\.wait|Parker::'),
]]
SYSCALLS = {'ksys_write': 'write', 'openat': 'open/create', 'futex': 'futex (park/unpark)', 'unlinkat': 'unlink',
            'renameat2': 'rename', 'rename': 'rename'}


def owner(chain):
    if 'kernel' in chain[0][1]:
        for sym, _ in chain:
            m = re.match(r'__(?:x64|do)_sys_(\w+)|(ksys_write)|(asm_exc_page_fault)', sym)
            if m:
                name = m.group(1) or m.group(2) or 'page faults'
                return 'kernel: ' + SYSCALLS.get(name, name)
        return 'kernel: interrupts, other'
    for sym, _ in chain:
        for g, r in RULES:
            if r.search(sym):
                return g
    return 'unattributed (JVM, interpreter, stubs without a named caller)'


def thread_group(comm):
    c = re.sub(r'[#0-9]+$', '', comm).strip()
    return 'GC' if c.startswith(('GC Thread', 'G1')) else c


def read(out):
    rows = int(open(f'{out}/rows').read())
    counts = collections.Counter()
    comm, chain = None, []
    head = re.compile(r'^(.*?)\s+\d+\s+[\d.]+:\s*$')
    frame = re.compile(r'^\s+[0-9a-f]+\s+(.*)\s+\((.*)\)\s*$')
    for line in list(open(f'{out}/script.txt', errors='replace')) + ['\n']:
        m = frame.match(line)
        if m and comm is not None:
            chain.append((m.group(1), m.group(2)))
            continue
        if comm is not None and chain:
            counts[(thread_group(comm), owner(chain))] += 1
        comm, chain = None, []
        m = head.match(line)
        if m:
            comm = m.group(1)
    return {k: v * 1e9 / HZ / rows for k, v in counts.items()}


def span(values):
    lo, hi = min(values), max(values)
    return f'{lo:.1f}' if f'{lo:.1f}' == f'{hi:.1f}' else f'{lo:.1f}–{hi:.1f}'


runs = [read(d) for d in sys.argv[1:]]
threads = collections.Counter()
for r in runs:
    for (t, _), v in r.items():
        threads[t] += v
print(f'| thread / group ({len(runs)} profiles) | ns/row | share of the thread |\n|---|---:|---:|')
print(f'| **all threads** | **{span([sum(r.values()) for r in runs])}** | |')
for t, _ in threads.most_common():
    totals = [sum(v for (tt, _), v in r.items() if tt == t) for r in runs]
    if max(totals) < 0.1:
        continue
    print(f'| **{t}** | **{span(totals)}** | |')
    groups = collections.Counter()
    for r in runs:
        for (tt, g), v in r.items():
            if tt == t:
                groups[g] += v
    if t.startswith(('C1', 'C2', 'GC', 'VM')):
        continue
    for g, _ in groups.most_common():
        vals = [r.get((t, g), 0.0) for r in runs]
        if max(vals) >= 0.15:
            shares = [100 * v / tot for v, tot in zip(vals, totals) if tot]
            print(f'| {g} | {span(vals)} | {min(shares):.0f}–{max(shares):.0f} % |')
