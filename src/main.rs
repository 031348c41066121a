use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    meritest::cli::run(meritest::cli::Cli::parse()).await
}
