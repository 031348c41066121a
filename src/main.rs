use clap::Parser;

// mimalloc instead of the system's allocator: an answer allocates and frees many small buffers
// across a node's threads, and glibc's malloc spent a fifth of a node's CPU at saturation in
// its own bookkeeping (`_int_malloc`, `malloc_consolidate`, `unlink_chunk`; loadtest/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    meritest::cli::run(meritest::cli::Cli::parse()).await
}
