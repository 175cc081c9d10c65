from .calendar import CalendarYear, WorkdayOverride
from .deadlines import Alert, Deadline, DeadlinePause
from .files import StoredFile
from .ledger import LedgerEntry, LedgerHead
from .numbering import IssuedNumber, NumberPattern, NumberSequence
from .settings import LegalSetting

__all__ = [
    "Alert",
    "CalendarYear",
    "Deadline",
    "DeadlinePause",
    "IssuedNumber",
    "LedgerEntry",
    "LedgerHead",
    "LegalSetting",
    "NumberPattern",
    "NumberSequence",
    "StoredFile",
    "WorkdayOverride",
]
