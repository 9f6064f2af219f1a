//! Breakdowns and filters of a series (DESIGN §7: by provider, owner (tenant), depositor (the
//! sponsor view) and GPU model), validated once for GraphQL, REST and CSV.

use crate::api::ApiError;

/// A dimension a series can be broken down by. Column names as in the tables.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GroupBy {
    /// The payment's provider (`daily_lease.provider`).
    Provider,
    /// The account owner, the tenant (`owner`).
    Owner,
    /// The sponsor whose deposits settlements consumed (`daily_depositor_spend.depositor`).
    Depositor,
    /// The GPU model the payment declared (`gpu_model`, empty for none).
    GpuModel,
}

impl GroupBy {
    /// The column.
    pub fn column(self) -> &'static str {
        match self {
            GroupBy::Provider => "provider",
            GroupBy::Owner => "owner",
            GroupBy::Depositor => "depositor",
            GroupBy::GpuModel => "gpu_model",
        }
    }

    /// Reads `provider`, `owner`, `depositor`, `gpu_model` (also `gpuModel`), any case.
    pub fn parse(s: &str) -> Result<GroupBy, ApiError> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_'], "")
            .as_str()
        {
            "provider" => Ok(GroupBy::Provider),
            "owner" => Ok(GroupBy::Owner),
            "depositor" => Ok(GroupBy::Depositor),
            "gpumodel" => Ok(GroupBy::GpuModel),
            _ => Err(ApiError::bad_input(
                "INVALID_GROUP_BY",
                format!("unknown group-by {s:?}: provider, owner, depositor or gpu_model"),
            )),
        }
    }
}

/// A validated set of breakdowns: any of provider / owner / GPU model, or depositor alone or
/// with owner (settlements do not record which payment a deposit paid for).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grouping(Vec<GroupBy>);

impl Grouping {
    /// Validates `dims` (duplicates are ignored).
    pub fn new(dims: &[GroupBy]) -> Result<Grouping, ApiError> {
        let mut v = dims.to_vec();
        v.sort();
        v.dedup();
        let g = Grouping(v);
        if g.has(GroupBy::Depositor) && (g.has(GroupBy::Provider) || g.has(GroupBy::GpuModel)) {
            return Err(ApiError::bad_input(
                "INVALID_GROUP_BY",
                "depositor combines only with owner: settlements take from deposits per account, \
                 not per provider or GPU model",
            ));
        }
        Ok(g)
    }

    /// Parses a comma-separated list (`provider,owner`); empty means no breakdown.
    pub fn parse_list(s: &str) -> Result<Grouping, ApiError> {
        let dims = s
            .split(',')
            .filter(|p| !p.trim().is_empty())
            .map(GroupBy::parse)
            .collect::<Result<Vec<_>, _>>()?;
        Grouping::new(&dims)
    }

    /// Whether `dim` is part of it.
    pub fn has(&self, dim: GroupBy) -> bool {
        self.0.contains(&dim)
    }

    /// The dimensions, in a fixed order.
    pub fn dims(&self) -> &[GroupBy] {
        &self.0
    }

    /// Whether there is no breakdown.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when every dimension is one of `allowed`, else `INVALID_GROUP_BY` naming `metric`.
    pub fn allow_only(&self, allowed: &[GroupBy], metric: &str) -> Result<(), ApiError> {
        match self.0.iter().find(|d| !allowed.contains(d)) {
            None => Ok(()),
            Some(d) => Err(ApiError::bad_input(
                "INVALID_GROUP_BY",
                format!("{metric} cannot be grouped by {}", d.column()),
            )),
        }
    }

    /// `col` when grouped by `dim`, else `NULL::text`: the select list keeps one shape.
    pub fn select(&self, dim: GroupBy) -> String {
        if self.has(dim) {
            dim.column().to_string()
        } else {
            "NULL::text".to_string()
        }
    }

    /// `, col, col` of the grouped dimensions (for `GROUP BY` / `ORDER BY`).
    pub fn tail(&self) -> String {
        self.0.iter().map(|d| format!(", {}", d.column())).collect()
    }
}

/// Restricts a series to one provider / owner / depositor / GPU model / denom.
#[derive(async_graphql::InputObject, Clone, Debug, Default, PartialEq, Eq)]
#[graphql(name = "StatsFilter")]
pub struct Filter {
    /// Only payments to this provider.
    pub provider: Option<String>,
    /// Only accounts of this owner (tenant).
    pub owner: Option<String>,
    /// Only what settlements took from this depositor (the depositor view).
    pub depositor: Option<String>,
    /// Only payments declaring this GPU model.
    pub gpu_model: Option<String>,
    /// Only this denom.
    pub denom: Option<String>,
}

impl Filter {
    /// Whether it names a depositor (the depositor view answers then).
    pub fn by_depositor(&self) -> bool {
        self.depositor.is_some()
    }

    /// `INVALID_FILTER` when it combines a depositor with provider or GPU model.
    pub fn check(&self) -> Result<(), ApiError> {
        if self.depositor.is_some() && (self.provider.is_some() || self.gpu_model.is_some()) {
            return Err(ApiError::bad_input(
                "INVALID_FILTER",
                "a depositor filter combines only with owner and denom",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groupings_are_validated() {
        let g = Grouping::parse_list("owner, provider,gpuModel").unwrap();
        assert_eq!(
            g.dims(),
            [GroupBy::Provider, GroupBy::Owner, GroupBy::GpuModel]
        );
        assert_eq!(g.tail(), ", provider, owner, gpu_model");
        assert!(Grouping::parse_list("depositor,owner").is_ok());
        let e = Grouping::parse_list("depositor,provider").unwrap_err();
        assert_eq!(e.code(), "INVALID_GROUP_BY");
        assert_eq!(
            Grouping::parse_list("colour").unwrap_err().code(),
            "INVALID_GROUP_BY"
        );
        assert!(Grouping::parse_list("").unwrap().is_empty());
        assert_eq!(
            Grouping::new(&[GroupBy::Owner])
                .unwrap()
                .allow_only(&[], "cr")
                .unwrap_err()
                .code(),
            "INVALID_GROUP_BY"
        );
    }
}
