"""``synthcheck scan``: the file scanner (pre-deploy gate for trees and build output)."""

from synthcheck.scan.command import add_parser, run
from synthcheck.scan.files import FileFinding, ScanReport, scan_paths

__all__ = ["FileFinding", "ScanReport", "add_parser", "run", "scan_paths"]
