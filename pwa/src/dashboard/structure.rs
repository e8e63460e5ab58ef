//! «Структура»: the navigation landmark with the caller's org tree and the searchbox «Поиск
//! учреждения». Every org is a link named by the org's name whose address is the current view
//! with that org selected, so drilling down is following links, and any step can be
//! bookmarked.
//!
//! Rows are keyed by org code, so opening a node or selecting an org updates the rows in place:
//! the link just followed keeps the keyboard focus, and drilling further is one more Tab.

use std::collections::HashSet;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use super::address::ViewState;
use super::tree::{OrgTree, Row};
use crate::i18n::{fill, use_i18n};

/// Most search matches listed at once; the rest are reached by typing more.
const MATCH_LIMIT: usize = 50;

/// One line of the browsed tree as the list renders it.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    /// The org's code, or `+<parent>` for a «more» line.
    key: String,
    name: String,
    depth: usize,
    has_children: bool,
    /// For a «more» line, how many children are not listed.
    hidden: Option<usize>,
}

/// The org tree navigation.
#[component]
pub fn Structure(
    tree: Arc<OrgTree>,
    view_state: Memo<ViewState>,
    selected: Memo<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().dashboard;
    let navigate = use_navigate();

    // Opened nodes: the path to the selection opens by itself (so its children show); the
    // person opens and closes the rest.
    let open = RwSignal::new(HashSet::<String>::new());
    {
        let tree = tree.clone();
        Effect::new(move || {
            if let Some(code) = selected.get() {
                let path: Vec<String> = tree.path(&code).into_iter().map(str::to_owned).collect();
                open.update(|o| o.extend(path));
            }
        });
    }
    // The search text: typed here, mirrored into the address (replacing the entry, so «Назад»
    // does not step through keystrokes).
    let search = RwSignal::new(view_state.get_untracked().search);
    let on_search = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        search.set(text.clone());
        let href = view_state.get_untracked().with_search(&text).href();
        navigate(
            &href,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };

    let lines = {
        let tree = tree.clone();
        Memo::new(move |_| {
            open.with(|o| {
                tree.rows(o)
                    .into_iter()
                    .map(|row| match row {
                        Row::Org {
                            org,
                            depth,
                            has_children,
                            ..
                        } => Line {
                            key: org.code.clone(),
                            name: org.name.clone(),
                            depth,
                            has_children,
                            hidden: None,
                        },
                        Row::More {
                            parent,
                            depth,
                            hidden,
                        } => Line {
                            key: format!("+{}", parent.code),
                            name: String::new(),
                            depth,
                            has_children: false,
                            hidden: Some(hidden),
                        },
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let found = {
        let tree = tree.clone();
        Memo::new(move |_| {
            search.with(|q| {
                let found = tree.search(q, MATCH_LIMIT);
                let matches: Vec<(String, String, String)> = found
                    .matches
                    .into_iter()
                    .map(|(org, path)| (org.code.clone(), org.name.clone(), path.join(" › ")))
                    .collect();
                (matches, found.total)
            })
        })
    };
    let searching = move || !search.with(|q| q.trim().is_empty());
    let href = move |code: &str| view_state.with(|v| v.with_org(code).href());
    let current = move |code: &str| selected.with(|s| s.as_deref() == Some(code));

    let line_view =
        move |line: Line| {
            if let Some(hidden) = line.hidden {
                let text = move || fill(t().more_children, &[("n", &hidden.to_string())]);
                return view! { <li class=format!("more depth-{}", line.depth.min(5))>{text}</li> }
                    .into_any();
            }
            let code = line.key.clone();
            let name = line.name.clone();
            let is_open = {
                let code = code.clone();
                Signal::derive(move || open.with(|o| o.contains(&code)))
            };
            let toggle = line.has_children.then(|| {
            let code = code.clone();
            let name = name.clone();
            let label = move || {
                let template = if is_open.get() { t().collapse } else { t().expand };
                fill(template, &[("name", &name)])
            };
            view! {
                <button
                    type="button"
                    class="toggle"
                    aria-expanded=move || is_open.get().to_string()
                    aria-label=label
                    on:click=move |_| {
                        open.update(|o| {
                            if !o.remove(&code) {
                                o.insert(code.clone());
                            }
                        })
                    }
                >
                    <span aria-hidden="true">{move || if is_open.get() { "▾" } else { "▸" }}</span>
                </button>
            }
        });
            let link_code = code.clone();
            let current_code = code.clone();
            view! {
                <li class=format!("depth-{}", line.depth.min(5))>
                    {toggle}
                    <a
                        href=move || href(&link_code)
                        class:leaf=!line.has_children
                        aria-current=move || current(&current_code).then_some("page")
                    >
                        {name.clone()}
                    </a>
                </li>
            }
            .into_any()
        };

    view! {
        <nav class="structure" aria-label=move || t().structure>
            <label for="org-search" class="search-label">{move || t().search}</label>
            <input
                id="org-search"
                class="field"
                type="search"
                autocomplete="off"
                aria-describedby="org-search-hint"
                prop:value=move || search.get()
                on:input=on_search
            />
            <p id="org-search-hint" class="hint">{move || t().search_hint}</p>
            <Show
                when=searching
                fallback=move || {
                    view! {
                        <ul class="tree">
                            <For each=move || lines.get() key=|line| line.key.clone() let:line>
                                {line_view(line)}
                            </For>
                        </ul>
                    }
                }
            >
                <p class="hint" role="status">
                    {move || {
                        let (shown, total) = found.with(|(m, total)| (m.len(), *total));
                        if total == 0 {
                            t().no_matches.to_owned()
                        } else if shown < total {
                            fill(
                                t().matches_cut,
                                &[("shown", &shown.to_string()), ("n", &total.to_string())],
                            )
                        } else {
                            fill(t().matches, &[("n", &total.to_string())])
                        }
                    }}
                </p>
                <ul class="matches">
                    <For
                        each=move || found.with(|(m, _)| m.clone())
                        key=|(code, _, _)| code.clone()
                        let:item
                    >
                        {
                            let (code, name, path) = item;
                            let link_code = code.clone();
                            view! {
                                <li>
                                    <a
                                        href=move || href(&link_code)
                                        aria-current=move || current(&code).then_some("page")
                                    >
                                        {name}
                                    </a>
                                    <span class="path">{path}</span>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </nav>
    }
}
