"""convviz: 1-D transposed convolution exactly as PyTorch's ``nn.ConvTranspose1d`` computes it, in NumPy."""
from .engine import conv_transpose1d
from .errors import ConvSpecError
from .module import ConvTranspose1d
from .shapes import output_length, output_size_range
from .spec import ConvSpec

__all__ = ["ConvSpec", "ConvSpecError", "ConvTranspose1d", "conv_transpose1d", "output_length",
           "output_size_range"]
__version__ = "0.1.0"
