// Random number kernels (mt19937 and PyTorch's distribution transforms).
