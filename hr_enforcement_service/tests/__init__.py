from . import test_execution
from . import test_receipts
from . import test_scan_tour
from . import test_service
