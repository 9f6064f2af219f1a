//! Bad input and over-limit queries: each a typed GraphQL error with its `extensions.code`,
//! HTTP 200 (or 400 for `application/graphql-response+json` clients), never a 500.

use std::time::Duration;

use indexer::api::server::ServeConfig;
use indexer::store::Store;
use serde_json::{json, Value};

use super::{test_config, write_blocks, Api};
use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_a_typed_error_and_never_a_500() {
    let db = Db::start().await;
    let url = db.fresh();
    let store = Store::connect(&url, 1).unwrap();
    write_blocks(&store, 30).await;
    let api = Api::start(&url).await;
    let d = api.data("{ blocks(first: 1) { edges { cursor } } }").await;
    let block_cursor = d["blocks"]["edges"][0]["cursor"]
        .as_str()
        .unwrap()
        .to_string();

    let deep = format!(
        "{{ __schema {{ types {{ fields {{ type {{ {}name{} }} }} }} }} }}",
        "ofType { ".repeat(20),
        " }".repeat(20)
    );
    let wide = format!(
        "{{ {} }}",
        (0..600)
            .map(|i| format!("m{i}: _meta {{ lastIndexedHeight healthy }}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    // Thirty 1000-row pages of a few fields each: over the limit, although the same query with
    // 100-row pages (150 fields) is far under it.
    let pages = format!(
        "{{ {} }}",
        (0..30)
            .map(|i| format!("p{i}: blocks(first: 1000) {{ edges {{ cursor node {{ hash }} }} }}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let cases: Vec<(&str, String, Value)> = vec![
        ("INVALID_CURSOR", r#"{ blocks(after: "zz") { totalCount } }"#.into(), json!({})),
        ("INVALID_CURSOR", r#"{ blocks(before: "7b7d") { totalCount } }"#.into(), json!({})),
        (
            "INVALID_CURSOR",
            format!(r#"{{ rawEvents(after: "{block_cursor}") {{ totalCount }} }}"#),
            json!({}),
        ),
        ("PAGE_SIZE_TOO_LARGE", "{ blocks(first: 1001) { totalCount } }".into(), json!({})),
        ("PAGE_SIZE_TOO_LARGE", "{ escrowAccounts(last: 5000) { totalCount } }".into(), json!({})),
        ("INVALID_PAGE_SIZE", "{ blocks(first: -1) { totalCount } }".into(), json!({})),
        ("FIRST_AND_LAST", "{ blocks(first: 1, last: 1) { totalCount } }".into(), json!({})),
        ("DEPTH_LIMIT_EXCEEDED", deep, json!({})),
        ("COMPLEXITY_LIMIT_EXCEEDED", wide, json!({})),
        ("COMPLEXITY_LIMIT_EXCEEDED", pages.clone(), json!({})),
        (
            "GRAPHQL_VALIDATION_FAILED",
            "{ escrowAccounts(state: BROKE) { totalCount } }".into(),
            json!({}),
        ),
        (
            "GRAPHQL_VALIDATION_FAILED",
            "query($s: AccountState) { escrowAccounts(state: $s) { totalCount } }".into(),
            json!({ "s": "BROKE" }),
        ),
        (
            "GRAPHQL_VALIDATION_FAILED",
            "{ blocks(orderBy: SIDEWAYS) { totalCount } }".into(),
            json!({}),
        ),
        (
            "INVALID_RANGE",
            r#"{ blocks(from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z") { totalCount } }"#
                .into(),
            json!({}),
        ),
        (
            "INVALID_RANGE",
            "{ deposits(fromHeight: 9, toHeight: 3) { totalCount } }".into(),
            json!({}),
        ),
        (
            "BAD_USER_INPUT",
            r#"{ blocks(from: "yesterday") { totalCount } }"#.into(),
            json!({}),
        ),
        (
            "GRAPHQL_VALIDATION_FAILED",
            "{ blocks(first: 99999999999) { totalCount } }".into(),
            json!({}),
        ),
        ("GRAPHQL_VALIDATION_FAILED", "{ nope }".into(), json!({})),
        ("GRAPHQL_PARSE_FAILED", "{ blocks {".into(), json!({})),
    ];
    for (code, query, vars) in cases {
        let (status, body) = api.gql(&query, vars).await;
        assert!(status == 200 || status == 400, "{query}: status {status}");
        let short = &query[..query.len().min(80)];
        let errors = body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{short}: no errors"));
        assert!(!errors.is_empty());
        for e in errors {
            assert_eq!(
                e["extensions"]["code"],
                json!(code),
                "{}: {e}",
                &query[..query.len().min(80)]
            );
        }
    }

    // GraphQL-over-HTTP: a request error is 400 for clients that accept the GraphQL media type.
    let r = api
        .http
        .post(format!("{}/graphql", api.base))
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": "{ blocks {" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(
        r.headers()["content-type"],
        "application/graphql-response+json"
    );
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("GRAPHQL_PARSE_FAILED")
    );
    // Plain JSON clients: 200 and `application/json`.
    let r = api
        .http
        .post(format!("{}/graphql", api.base))
        .header("accept", "application/json")
        .json(&json!({ "query": "{ blocks {" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    // A body that is no GraphQL request: 400 with a code.
    let r = api
        .http
        .post(format!("{}/graphql", api.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("BAD_REQUEST")
    );
    // An unknown route: a JSON 404 with a code.
    let r = api.get("/v2/nothing").await;
    assert_eq!(r.status().as_u16(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], json!("NOT_FOUND"));
    // The limits themselves are accepted: a page of 1000, GraphiQL's introspection query.
    api.data("{ blocks(first: 1000) { totalCount } }").await;
    api.data(&pages.replace("first: 1000", "first: 100")).await;
    let introspection = api.data(INTROSPECTION).await;
    assert!(introspection["__schema"]["types"].as_array().unwrap().len() > 20);
}

/// The query GraphiQL sends on load (graphql-js `getIntrospectionQuery()`).
const INTROSPECTION: &str = "query IntrospectionQuery { __schema { queryType { name } \
    mutationType { name } subscriptionType { name } types { ...FullType } \
    directives { name description locations args { ...InputValue } } } } \
    fragment FullType on __Type { kind name description \
    fields(includeDeprecated: true) { name description args { ...InputValue } \
    type { ...TypeRef } isDeprecated deprecationReason } inputFields { ...InputValue } \
    interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name description \
    isDeprecated deprecationReason } possibleTypes { ...TypeRef } } \
    fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue } \
    fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind \
    name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_past_the_time_limit_is_refused_with_query_timeout() {
    let db = Db::start().await;
    let url = db.fresh();
    let store = Store::connect(&url, 1).unwrap();
    write_blocks(&store, 3).await;
    // Postgres' statement_timeout stops the statement…
    let by_postgres = Api::with(ServeConfig {
        read_database_url: url.clone(),
        statement_timeout: Duration::from_millis(300),
        ..test_config()
    })
    .await;
    // …or, failing that, the server's own limit on the whole query.
    let by_server = Api::with(ServeConfig {
        read_database_url: url.clone(),
        query_timeout: Duration::from_millis(300),
        ..test_config()
    })
    .await;
    // A writer holding an exclusive lock makes every read of `block` wait.
    let mut locker = client(&url).await;
    let tx = locker.transaction().await.unwrap();
    tx.batch_execute("LOCK TABLE block IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    for api in [&by_postgres, &by_server] {
        let (status, body) = api.gql("{ blocks { totalCount } }", json!({})).await;
        assert_eq!(status, 200);
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            json!("QUERY_TIMEOUT"),
            "{body}"
        );
    }
    tx.rollback().await.unwrap();
    by_postgres.data("{ blocks { totalCount } }").await;

    // Any route: past the request limit, a typed 503.
    let short = Api::with(ServeConfig {
        read_database_url: url.clone(),
        request_timeout: Duration::from_millis(300),
        ..test_config()
    })
    .await;
    let tx = locker.transaction().await.unwrap();
    tx.batch_execute("LOCK TABLE sync_cursor IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    let r = short.get("/v1/dashboard-data").await;
    assert_eq!(r.status().as_u16(), 503);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], json!("QUERY_TIMEOUT"), "{body}");
    tx.rollback().await.unwrap();
}
