//! CSV export of daily spend for finance teams' chargebacks (DESIGN §7): one row per day ×
//! denom × group, the same bytes over HTTP (`GET /v1/export/spend.csv`) and from
//! `indexer export`.

use std::path::PathBuf;

use deadpool_postgres::Pool;

use super::spend::daily_spend;
use super::{Current, DayRange, Filter, GroupBy, Grouping, Now};
use crate::api::ApiError;

/// `indexer export` flags (and the HTTP route's query parameters, same names).
#[derive(clap::Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportArgs {
    /// First UTC day, YYYY-MM-DD (default: 30 days before `to`).
    #[arg(long)]
    pub from: Option<String>,
    /// Last UTC day, YYYY-MM-DD (default and cap: the day of the latest indexed block).
    #[arg(long)]
    pub to: Option<String>,
    /// Breakdown, comma-separated: provider, owner, gpu_model, depositor (depositor combines
    /// only with owner).
    #[arg(long)]
    pub group_by: Option<String>,
    /// Only this denom.
    #[arg(long)]
    pub denom: Option<String>,
    /// Write to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Export the "by the numbers" table of the period `from`..`to` instead of daily spend
    /// ([`super::period`]).
    #[arg(long)]
    pub period_summary: bool,
    /// With `--period-summary`: the comparison period, `previous` (default) or `year_before`.
    #[arg(long)]
    pub compare_to: Option<String>,
    /// With `--period-summary`: `csv` (default) or `markdown`.
    #[arg(long, value_enum, default_value_t)]
    pub format: super::period::Format,
}

/// Writes the spend CSV for `args` to `out`; returns the data rows written. Columns: `day`,
/// `in_progress`, `denom`, then each grouped dimension (`provider`, `owner`, `depositor`,
/// `gpu_model` in that order), then `spend` (base units), `spend_usd`, `usd_estimated`; values
/// as [`super::spend::daily_spend`] defines them.
pub async fn export(
    read: &Pool,
    args: &ExportArgs,
    out: &mut (dyn std::io::Write + Send),
) -> Result<u64, ApiError> {
    let grouping = Grouping::parse_list(args.group_by.as_deref().unwrap_or(""))?;
    let now = Now::read(read).await?;
    let range = DayRange::parse(
        &now,
        args.from.as_deref(),
        args.to.as_deref(),
        Current::Include,
    )?;
    let filter = Filter {
        denom: args.denom.clone(),
        ..Filter::default()
    };
    let rows = daily_spend(read, &range, &grouping, &filter).await?;
    let mut w = csv::Writer::from_writer(out);
    let io = |e: csv::Error| ApiError::Unavailable(format!("writing the CSV: {e}"));
    let mut header = vec!["day", "in_progress", "denom"];
    header.extend(grouping.dims().iter().map(|d| d.column()));
    header.extend(["spend", "spend_usd", "usd_estimated"]);
    w.write_record(&header).map_err(io)?;
    let mut n = 0u64;
    for r in rows {
        let mut rec = vec![
            r.day.to_string(),
            r.in_progress.to_string(),
            r.denom.clone(),
        ];
        for d in grouping.dims() {
            let v = match d {
                GroupBy::Provider => &r.provider,
                GroupBy::Owner => &r.owner,
                GroupBy::Depositor => &r.depositor,
                GroupBy::GpuModel => &r.gpu_model,
            };
            rec.push(v.clone().unwrap_or_default());
        }
        rec.push(r.spend);
        rec.push(r.spend_usd.unwrap_or_default());
        rec.push(r.usd_estimated.to_string());
        w.write_record(&rec).map_err(io)?;
        n += 1;
    }
    w.flush()
        .map_err(|e| ApiError::Unavailable(format!("writing the CSV: {e}")))?;
    Ok(n)
}
