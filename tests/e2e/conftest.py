"""Browser tests: Playwright for Python driving Debian's Chromium; the fixtures `browser` and `page` live in
tests/conftest.py so that every browser test in the suite shares one Chromium."""
