"""PAIR Atlas: the Streamlit entry point (``app.py``) and the domain logic as plain Python.

Modules here import neither Streamlit nor SQLAlchemy (except the ``ui`` sub-package and
``app.py``), so they are tested directly.
"""
