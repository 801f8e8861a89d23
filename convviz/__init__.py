"""convviz: 1-D transposed convolution exactly as PyTorch's ``nn.ConvTranspose1d`` computes it, in NumPy."""
from .answers import MISTAKES, AnswerCheck, check_answer, check_length
from .engine import conv_transpose1d
from .errors import ConvSpecError
from .module import ConvTranspose1d
from .port import Port, port, port_to
from .shapes import conv1d_length, output_length, output_size_range
from .spec import ConvSpec
from .stack import STACK_PRESETS, stack_lengths, stack_overlap
from .trace import Contribution, Trace, overlap_counts, trace

__all__ = ["MISTAKES", "AnswerCheck", "Contribution", "ConvSpec", "ConvSpecError", "ConvTranspose1d", "Port",
           "STACK_PRESETS", "Trace", "check_answer", "check_length", "conv1d_length", "conv_transpose1d",
           "output_length", "output_size_range", "overlap_counts", "port", "port_to", "stack_lengths",
           "stack_overlap", "trace"]
__version__ = "0.1.0"
