// GPT: phase 5's decoder-only transformer, written with nanoGPT's names.
//
// The model (GPTModel, TransformerBlock: pre-LayerNorm blocks of causal
// self-attention and a GELU MLP, tied input and output embeddings), its
// training loop (GPTTrainer: AdamW, warm-up and cosine decay, clipping),
// exact-resume checkpoints (GPTCheckpoint), generation with and without the
// KV cache (GPTGeneration, KVCache) and the corpora it learns (CharCorpus).
// Its tokenizers live in Tokenizers, re-exported here with the layers it
// is built from, so that `import GPT` is all a notebook needs.
@_exported import Autograd
@_exported import NN
@_exported import Tensor
@_exported import Tokenizers
