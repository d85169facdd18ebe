//! `hangtime package-files --out DIR` (for packaging, not listed anywhere): the man pages and
//! shell completions, generated from the command-line definitions so they can never disagree
//! with `--help`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{CommandFactory, Parser};
use clap_complete::Shell;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, roman};

use super::{Cli, HELP_SECTIONS};

/// Options of `hangtime package-files`.
#[derive(Debug, Parser)]
#[command(name = "hangtime package-files")]
pub struct PackageFilesArgs {
    /// Folder to write `man/` and `completions/` into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Shells with completions (the .deb installs each where the shell looks for it).
const SHELLS: [Shell; 3] = [Shell::Bash, Shell::Zsh, Shell::Fish];

/// Writes `DIR/man/hangtime*.1` and `DIR/completions/{hangtime.bash,_hangtime,hangtime.fish}`.
///
/// # Errors
/// When a folder or file cannot be written.
pub fn run(args: &PackageFilesArgs) -> Result<bool> {
    let man = args.out.join("man");
    let completions = args.out.join("completions");
    for dir in [&man, &completions] {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{} could not be created", dir.display()))?;
    }
    write_man_pages(&man).context("the man pages could not be written")?;
    for shell in SHELLS {
        clap_complete::generate_to(shell, &mut Cli::command(), "hangtime", &completions)
            .with_context(|| format!("the {shell} completions could not be written"))?;
    }
    println!(
        "wrote man pages to {} and completions to {}",
        man.display(),
        completions.display()
    );
    Ok(true)
}

/// One page per visible command (`hangtime.1`, `hangtime-analyze.1`, …); the main page also
/// gets the exit status and environment sections.
fn write_man_pages(dir: &Path) -> std::io::Result<()> {
    clap_mangen::generate_to(Cli::command(), dir)?;
    let page = Man::new(Cli::command().disable_help_subcommand(true));
    let mut out = Vec::new();
    page.render_title(&mut out)?;
    page.render_name_section(&mut out)?;
    page.render_synopsis_section(&mut out)?;
    page.render_description_section(&mut out)?;
    page.render_options_section(&mut out)?;
    page.render_subcommands_section(&mut out)?;
    let mut sections = Roff::new();
    for (heading, text) in HELP_SECTIONS {
        sections
            .control("SH", [heading.to_uppercase().as_str()])
            .text([roman(text)]);
    }
    sections.to_writer(&mut out)?;
    page.render_version_section(&mut out)?;
    std::fs::write(dir.join(page.get_filename()), out)
}
