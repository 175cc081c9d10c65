from __future__ import annotations

import datetime
import hashlib
import io
import random

from django.utils import timezone

JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + bytes(range(256)) * 4
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 12


def video_bytes(n: int = 4096, seed: int = 1) -> bytes:
    return MP4_HEAD + random.Random(seed).randbytes(n)


def interview_content(name: str = "张三") -> dict:
    return {
        "person": {"name": name, "id_number": "11010519491231002X", "gender": "男", "relation": "当事人"},
        "qa": [{"q": "你是否在东村三组建房？", "a": "是的，去年三月开始建。"}],
    }


def started(hours: int = 2) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stream(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)
