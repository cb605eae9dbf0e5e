"""Streamlit helpers shared by the pages: cached data loaders, common widgets, footers."""
