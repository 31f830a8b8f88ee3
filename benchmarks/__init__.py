"""Performance benchmarks of factcheck-kg: ``python -m benchmarks`` (``make bench``); see BENCHMARKS.md."""
