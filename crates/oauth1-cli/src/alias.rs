//! `oauth1 alias`: short names for the paths you request often, as twurl has them
//! (`oauth1 alias h /1.1/statuses/home_timeline.json`, then `oauth1 h`). They are kept in the
//! profiles file, beside the profiles, and shared by all of them; `oauth1 NAME FLAGS…` runs
//! `oauth1 request PATH FLAGS…`. An alias never shadows a subcommand: those names are refused.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, CommandFactory as _};

use crate::failure::Failure;
use crate::profile::Profiles;
use crate::profiles::profiles_path;

/// Flags of `oauth1 alias`.
#[derive(Debug, Clone, Args)]
pub struct AliasArgs {
    /// The alias: letters, digits, `-`, `_` and `.`, and not the name of a subcommand. Alone,
    /// shows what it stands for.
    #[arg(add = crate::complete::alias_names())]
    pub name: Option<String>,
    /// The path (`/1.1/...`, resolved against the profile's API base) or URL it stands for.
    pub path: Option<String>,
    /// Remove the alias NAME.
    #[arg(long, requires = "name", conflicts_with = "path")]
    pub remove: bool,
    /// The profiles file.
    #[arg(long, value_name = "PATH", value_hint = clap::ValueHint::FilePath)]
    pub config: Option<PathBuf>,
}

/// The names an alias may not take: the subcommands (and their aliases), and `help`.
fn reserved(name: &str) -> bool {
    let command = crate::Cli::command();
    name == "help"
        || command
            .get_subcommands()
            .any(|s| s.get_name() == name || s.get_all_aliases().any(|a| a == name))
}

fn check_name(name: &str) -> Result<(), Failure> {
    let valid = !name.is_empty()
        && !name.starts_with(['-', '.'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        return Err(Failure::Usage(format!(
            "`{name}` cannot be an alias: use letters, digits, `-`, `_` and `.`, not first `-` or `.`"
        )));
    }
    if reserved(name) {
        return Err(Failure::Usage(format!(
            "`{name}` is a subcommand of oauth1: an alias of that name would hide it; choose another name"
        )));
    }
    Ok(())
}

/// Runs `oauth1 alias`.
pub fn run(args: &AliasArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let io = |e: std::io::Error| Failure::Network(format!("cannot write the output: {e}"));
    let path = profiles_path(&args.config)?;
    let mut profiles = Profiles::load(&path)?;
    match (&args.name, &args.path) {
        (None, _) => {
            if profiles.aliases.is_empty() {
                writeln!(
                    out,
                    "No aliases yet: add one with `oauth1 alias NAME PATH`."
                )
                .map_err(io)?;
            }
            let width = profiles.aliases.keys().map(String::len).max().unwrap_or(0);
            for (name, target) in &profiles.aliases {
                writeln!(out, "{name:<width$}  {target}").map_err(io)?;
            }
            Ok(())
        }
        (Some(name), None) if args.remove => {
            if profiles.aliases.remove(name).is_none() {
                return Err(unknown(name));
            }
            profiles.save(&path)?;
            writeln!(out, "Removed alias {name}").map_err(io)
        }
        (Some(name), None) => {
            let target = profiles.aliases.get(name).ok_or_else(|| unknown(name))?;
            writeln!(out, "{target}").map_err(io)
        }
        (Some(name), Some(target)) => {
            check_name(name)?;
            if !(target.starts_with('/')
                || target.starts_with("http://")
                || target.starts_with("https://"))
            {
                return Err(Failure::Usage(format!(
                    "`{target}`: an alias stands for a path that starts with `/`, or an http:// or https:// URL"
                )));
            }
            profiles.aliases.insert(name.clone(), target.clone());
            profiles.save(&path)?;
            writeln!(out, "{name} -> {target} (run it with `oauth1 {name}`)").map_err(io)
        }
    }
}

fn unknown(name: &str) -> Failure {
    Failure::Usage(format!("no alias named `{name}` (see `oauth1 alias`)"))
}

/// The arguments of `oauth1 request` that `oauth1 NAME REST…` stands for (`args` is
/// `[NAME, REST…]`), reading the aliases from the profiles file `--config` names in `REST`, else
/// the default one.
pub fn expand(args: &[String]) -> Result<Vec<String>, Failure> {
    let Some((name, rest)) = args.split_first() else {
        return Err(Failure::Usage("no subcommand: see `oauth1 --help`".into()));
    };
    let mut config = None;
    let mut words = rest.iter();
    while let Some(word) = words.next() {
        if word == "--config" {
            config = words.next().map(PathBuf::from);
        } else if let Some(path) = word.strip_prefix("--config=") {
            config = Some(PathBuf::from(path));
        }
    }
    let path = profiles_path(&config)?;
    let profiles = Profiles::load(&path)?;
    let target = profiles.aliases.get(name).ok_or_else(|| {
        Failure::Usage(format!(
            "`{name}` is neither a subcommand nor an alias (see `oauth1 --help`, and `oauth1 alias` for the aliases)"
        ))
    })?;
    let mut expanded = vec!["oauth1".to_owned(), "request".to_owned(), target.clone()];
    expanded.extend(rest.iter().cloned());
    Ok(expanded)
}
