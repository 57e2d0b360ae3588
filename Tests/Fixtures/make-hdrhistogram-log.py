"""Writes python-hdrhistogram.hlog with the reference `hdrhistogram` package (pip install hdrhistogram):
two tagged intervals of known values, microseconds, 3 significant digits. HdrLogTests reads it back."""
import sys
from hdrh.histogram import HdrHistogram
from hdrh.log import HistogramLogWriter

out = open(sys.argv[1] if len(sys.argv) > 1 else "python-hdrhistogram.hlog", "w")
writer = HistogramLogWriter(out)
writer.output_log_format_version()
writer.output_comment("[StartTime: 1764400000.000 (seconds since epoch), fixture]")
writer.output_legend()
first = HdrHistogram(1, 3_600_000_000, 3)
for value in range(1, 1001):          # 1..1000 µs once each
    first.record_value(value)
first.record_value(123_456, 7)        # a 3-digit bucket: 123,456 µs seven times
first.record_value(2_500_000)         # 2.5 s
second = HdrHistogram(1, 3_600_000_000, 3)
second.record_value(40_000, 1000)     # 40 ms a thousand times
for histogram, start in ((first, 0.0), (second, 1.0)):
    out.write("Tag=latency,")
    writer.output_interval_histogram(histogram, start_time_stamp_sec=start, end_time_stamp_sec=start + 1.0)
out.close()
