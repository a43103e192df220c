# Engine tests (stdlib unittest): `python -m unittest discover -s tests -t .` from
# freqtrade/engine, with the Freqtrade venv's python.
