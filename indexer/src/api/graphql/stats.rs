//! `stats { … }`: the GraphQL face of [`crate::stats`]. Resolvers only parse arguments and call
//! the stats functions; every definition (and all SQL) lives there.

use async_graphql::{Context, Object, Result};

use crate::api::ApiState;
use crate::stats::dashboard::{dashboard_of, Dashboard};
use crate::stats::period::{period_summary, Compare, PeriodSummary};
use crate::stats::reconcile::{reconcile, Reconciliation};
use crate::stats::series::{series, Interval, Metric, SeriesArgs, SeriesPoint};
use crate::stats::spend::{daily_spend, SpendRow};
use crate::stats::{Current, DayRange, Filter, GroupBy, Grouping, Now};

/// The `stats` field's object.
pub struct StatsQuery;

fn filter_with_denom(filter: Option<Filter>, denom: Option<String>) -> Filter {
    let mut f = filter.unwrap_or_default();
    if denom.is_some() {
        f.denom = denom;
    }
    f
}

#[Object]
impl StatsQuery {
    /// Daily spend per UTC day and denom (base units and USD), from `from` to `to`
    /// (`YYYY-MM-DD`; default the last 30 days through the day in progress), broken down by
    /// `groupBy`. The day of the latest indexed block is flagged `inProgress` (left out with
    /// `current: EXCLUDE`). Grouping by DEPOSITOR answers the sponsor view by settlement day.
    #[allow(clippy::too_many_arguments)]
    async fn daily_spend(
        &self,
        ctx: &Context<'_>,
        from: Option<String>,
        to: Option<String>,
        #[graphql(default)] current: Current,
        #[graphql(default)] group_by: Vec<GroupBy>,
        denom: Option<String>,
        filter: Option<Filter>,
    ) -> Result<Vec<SpendRow>> {
        let state = ctx.data::<ApiState>()?;
        let grouping = Grouping::new(&group_by)?;
        let now = Now::read(&state.read).await?;
        let range = DayRange::parse(&now, from.as_deref(), to.as_deref(), current)?;
        let filter = filter_with_denom(filter, denom);
        Ok(daily_spend(&state.read, &range, &grouping, &filter).await?)
    }

    /// The cards: flows over the rolling 24 h ending at the latest indexed block vs the 24 h
    /// before, levels now vs 24 h ago. `filter` narrows the lease cards; network cards are
    /// chain-wide.
    async fn dashboard(&self, ctx: &Context<'_>, filter: Option<Filter>) -> Result<Dashboard> {
        let state = ctx.data::<ApiState>()?;
        let filter = filter.unwrap_or_default();
        Ok(dashboard_of(
            &*state.snapshots.get(&state.read, &filter).await?,
        ))
    }

    /// One metric per day (or per hour: ORACLE_PRICE only) from `from` to `to` (days, or RFC
    /// 3339 times for HOUR), broken down by `groupBy` where the metric allows it.
    #[allow(clippy::too_many_arguments)]
    async fn series(
        &self,
        ctx: &Context<'_>,
        metric: Metric,
        #[graphql(default)] interval: Interval,
        from: Option<String>,
        to: Option<String>,
        #[graphql(default)] current: Current,
        #[graphql(default)] group_by: Vec<GroupBy>,
        filter: Option<Filter>,
    ) -> Result<Vec<SeriesPoint>> {
        let state = ctx.data::<ApiState>()?;
        let grouping = Grouping::new(&group_by)?;
        let args = SeriesArgs {
            from: from.as_deref(),
            to: to.as_deref(),
            current,
        };
        let filter = filter.unwrap_or_default();
        Ok(series(&state.read, metric, interval, args, &grouping, &filter).await?)
    }

    /// The network "by the numbers" over the UTC days `from`..`to` (`YYYY-MM-DD`, inclusive;
    /// default the last 30 days through the day in progress), each figure with its value over
    /// the comparison period (`compareTo`, default the as many days right before) and the
    /// growth: the year-in-review table for any period.
    async fn period_summary(
        &self,
        ctx: &Context<'_>,
        from: Option<String>,
        to: Option<String>,
        #[graphql(default)] compare_to: Compare,
    ) -> Result<PeriodSummary> {
        let state = ctx.data::<ApiState>()?;
        let now = Now::read(&state.read).await?;
        let range = DayRange::parse(&now, from.as_deref(), to.as_deref(), Current::Include)?;
        Ok(period_summary(&state.read, &range, compare_to).await?)
    }

    /// Spend vs settled of one escrow account per day, and the exact per-payment check at every
    /// settlement height (charged = floor(rate × live blocks)).
    async fn reconciliation(
        &self,
        ctx: &Context<'_>,
        owner: String,
        dseq: i64,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<Reconciliation> {
        let state = ctx.data::<ApiState>()?;
        Ok(reconcile(&state.read, &owner, dseq, from.as_deref(), to.as_deref()).await?)
    }
}
