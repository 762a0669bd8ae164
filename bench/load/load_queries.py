"""What systems and readers search for in the load test (locustfile.py, probe.py)."""

QUERIES = [
    "giai phong mat bang",
    "van dong nhan dan",
    "cải cách hành chính",
    "phat trien dang vien",
    '"trật tự an toàn giao thông"',
    "ma tuy",
    "thu ngan sach",
    "chuyen doi so",
    "khieu nai to cao",
]
