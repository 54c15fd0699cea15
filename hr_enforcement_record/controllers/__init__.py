from . import main
from . import chain_head
from . import tus
from . import station
