"""The HTML report: what the pipeline did to a corpus, as a static site that opens offline.

`write_report(project)` writes clean/report/index.html: totals per stage, repairs, removed spans, charts,
and every document raw → clean with its metadata and its duplicates, searchable and paginated.
"""

from toolkit.report.build import REPORT_FOLDER, ReportLayout, write_report

__all__ = ["REPORT_FOLDER", "ReportLayout", "write_report"]
