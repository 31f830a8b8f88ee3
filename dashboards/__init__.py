"""Streamlit dashboard over the factcheck-kg store: ``streamlit run dashboards/app.py``.

``data`` holds the cached loaders, ``render`` the HTML helpers, ``ui`` the shared widgets,
``pages/`` one script per page. ``launch.kg_dashboard_command`` builds the command line.
"""
