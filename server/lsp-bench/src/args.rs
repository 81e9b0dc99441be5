//! Command-line options (hand-rolled: one less dependency to compile).

use std::path::PathBuf;
use std::time::Duration;

pub const USAGE: &str = "\
lsp-bench: measure language servers for Dockerfiles over stdio, side by side.

USAGE:
    lsp-bench --server NAME=COMMAND [--server NAME=COMMAND ...] [OPTIONS]
    lsp-bench --probe COMMAND [--timeout SECS]

OPTIONS:
    --server NAME=COMMAND   a server to measure; COMMAND is split on spaces (quotes group)
    --lines LIST            sizes of the generated Dockerfiles [default: 1000,10000]
    --seed N                generator seed [default: 1]
    --edits N               characters typed for the didChange figure [default: 30]
    --reps N                requests of each kind [default: 20]
    --timeout SECS          limit of every wait [default: 60]
    --semantic-timeout SECS limit of one semanticTokens/full request [default: 150]
    --budget SECS           stop a series of requests after this long [default: 60]
    --json FILE             also write the results as JSON
    --keep                  keep the temporary directory (Dockerfiles, server stderr logs)
    --probe COMMAND         only check that COMMAND answers `initialize`; exit 0 if it does
    -h, --help              this text
";

/// One server to measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSpec {
    pub name: String,
    pub argv: Vec<String>,
}

/// What to run and how.
#[derive(Debug, Clone)]
pub struct Options {
    pub servers: Vec<ServerSpec>,
    pub lines: Vec<usize>,
    pub seed: u64,
    pub edits: usize,
    pub reps: usize,
    pub timeout: Duration,
    pub semantic_timeout: Duration,
    pub budget: Duration,
    pub json: Option<PathBuf>,
    pub keep: bool,
    pub probe: Option<Vec<String>>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            servers: Vec::new(),
            lines: vec![1000, 10_000],
            seed: 1,
            edits: 30,
            reps: 20,
            timeout: Duration::from_secs(60),
            semantic_timeout: Duration::from_secs(150),
            budget: Duration::from_secs(60),
            json: None,
            keep: false,
            probe: None,
        }
    }
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Parsed {
    Run(Options),
    Help,
}

pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Parsed, String> {
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--server" => options.servers.push(server_spec(&value()?)?),
            "--lines" => {
                options.lines = value()?
                    .split(',')
                    .map(|s| parse_count(s.trim()))
                    .collect::<Result<_, _>>()?;
            }
            "--seed" => options.seed = number(&flag, &value()?)?,
            "--edits" => options.edits = number(&flag, &value()?)?,
            "--reps" => options.reps = number(&flag, &value()?)?,
            "--timeout" => options.timeout = seconds(&flag, &value()?)?,
            "--semantic-timeout" => options.semantic_timeout = seconds(&flag, &value()?)?,
            "--budget" => options.budget = seconds(&flag, &value()?)?,
            "--json" => options.json = Some(PathBuf::from(value()?)),
            "--keep" => options.keep = true,
            "--probe" => {
                let argv = split_command(&value()?)?;
                if argv.is_empty() {
                    return Err("--probe needs a command".into());
                }
                options.probe = Some(argv);
            }
            _ => return Err(format!("unknown argument {arg:?} (see --help)")),
        }
    }
    if options.servers.is_empty() && options.probe.is_none() {
        return Err("no --server given (see --help)".into());
    }
    if options.lines.is_empty() || options.lines.contains(&0) {
        return Err("--lines needs positive sizes".into());
    }
    Ok(Parsed::Run(options))
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag}: not a number: {value:?}"))
}

fn seconds(flag: &str, value: &str) -> Result<Duration, String> {
    let secs: f64 = number(flag, value)?;
    Duration::try_from_secs_f64(secs).map_err(|_| format!("{flag}: not a duration: {value:?}"))
}

/// `1000`, `10k`, `10_000`, `1m` (= 1,000,000).
fn parse_count(s: &str) -> Result<usize, String> {
    let s = s.replace('_', "").to_ascii_lowercase();
    let (digits, factor) = match s.strip_suffix('k') {
        Some(d) => (d, 1000),
        None => match s.strip_suffix('m') {
            Some(d) => (d, 1_000_000),
            None => (s.as_str(), 1),
        },
    };
    digits
        .parse::<usize>()
        .map(|n| n * factor)
        .map_err(|_| format!("--lines: not a size: {s:?}"))
}

fn server_spec(spec: &str) -> Result<ServerSpec, String> {
    let (name, command) = spec
        .split_once('=')
        .ok_or_else(|| format!("--server wants NAME=COMMAND, got {spec:?}"))?;
    let argv = split_command(command)?;
    if name.trim().is_empty() || argv.is_empty() {
        return Err(format!("--server wants NAME=COMMAND, got {spec:?}"));
    }
    Ok(ServerSpec {
        name: name.trim().to_owned(),
        argv,
    })
}

/// Splits a command line on whitespace; single or double quotes group, `\` escapes outside
/// single quotes. No other shell syntax.
pub fn split_command(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => word.push(c),
            (_, '\\') => {
                word.push(chars.next().ok_or("command ends with a backslash")?);
                in_word = true;
            }
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return Err(format!("unbalanced quote in {line:?}"));
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Options, String> {
        match parse(args.iter().map(|s| s.to_string()))? {
            Parsed::Run(options) => Ok(options),
            Parsed::Help => Err("help".into()),
        }
    }

    #[test]
    fn splits_commands_like_a_shell() {
        assert_eq!(
            split_command(r#"node "a b/x.js" --stdio 'c d' e\ f"#).unwrap(),
            ["node", "a b/x.js", "--stdio", "c d", "e f"]
        );
        assert_eq!(split_command(r#"x "" y"#).unwrap(), ["x", "", "y"]);
        assert!(split_command("x 'y").is_err());
    }

    #[test]
    fn parses_servers_and_sizes() {
        let o = run(&[
            "--server",
            "ds=target/release/docksmith lsp",
            "--server=dl=node x --stdio",
            "--lines",
            "1k,10_000,50000",
            "--timeout=2.5",
        ])
        .unwrap();
        assert_eq!(o.servers.len(), 2);
        assert_eq!(o.servers[0].argv, ["target/release/docksmith", "lsp"]);
        assert_eq!(o.servers[1].name, "dl");
        assert_eq!(o.lines, [1000, 10_000, 50_000]);
        assert_eq!(o.timeout, Duration::from_millis(2500));
    }

    #[test]
    fn rejects_nonsense() {
        assert!(run(&[]).is_err());
        assert!(run(&["--server", "nocommand"]).is_err());
        assert!(run(&["--server", "a=b", "--lines", "0"]).is_err());
        assert!(run(&["--server", "a=b", "--reps"]).is_err());
        assert!(run(&["--bogus"]).is_err());
        assert!(run(&["--help"]).is_err_and(|e| e == "help"));
    }
}
