from . import test_access
from . import test_case_file
from . import test_dashboard
from . import test_deadlines
from . import test_violation
from . import test_transfer
from . import test_disposal
from . import test_object_lock
