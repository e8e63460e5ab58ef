//! The caller's org tree as the «Структура» navigation shows it: built once from
//! `GET /api/v1/orgs`, browsed by opening nodes, and searched by name or code.
//!
//! A region can hold 2,000 institutions, so nothing here walks the DOM or renders the whole
//! tree: browsing lists only the children of opened nodes (at most [`CHILD_LIMIT`] per node),
//! and a search lists at most a caller-given number of matches over lower-cased names
//! prepared once. Both are plain functions of the data, tested on the host.

use std::collections::{HashMap, HashSet};

use otklik_shared::api::Org;
use otklik_shared::org::OrgKind;

/// Most children listed under one opened node; the rest are reached by search.
pub const CHILD_LIMIT: usize = 100;

/// One org with its place in the tree.
#[derive(Debug)]
struct Node {
    org: Org,
    parent: Option<usize>,
    children: Vec<usize>,
    /// Lower-cased name and code, what a search matches against.
    haystack: String,
}

/// The org tree of a scope. Orgs whose parent is not in the list (the scope's top, or every
/// region for an admin) are roots.
#[derive(Debug, Default)]
pub struct OrgTree {
    nodes: Vec<Node>,
    by_code: HashMap<String, usize>,
    roots: Vec<usize>,
}

/// A line of the browsed tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Row<'a> {
    /// An org.
    Org {
        /// The org.
        org: &'a Org,
        /// 0 for a root.
        depth: usize,
        /// Whether it has children to open.
        has_children: bool,
        /// Whether its children are listed.
        open: bool,
    },
    /// `hidden` more children of `parent`, beyond [`CHILD_LIMIT`].
    More {
        /// Whose children they are.
        parent: &'a Org,
        /// The depth of those children.
        depth: usize,
        /// How many are not listed.
        hidden: usize,
    },
}

/// What a search found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<'a> {
    /// The matches listed, in tree order, each with its ancestors' names (root first).
    pub matches: Vec<(&'a Org, Vec<&'a str>)>,
    /// How many orgs match in all.
    pub total: usize,
}

impl OrgTree {
    /// Builds the tree; children are ordered by kind (authorities before institutions…), then
    /// by name.
    pub fn new(orgs: Vec<Org>) -> Self {
        let by_code: HashMap<String, usize> = orgs
            .iter()
            .enumerate()
            .map(|(i, o)| (o.code.clone(), i))
            .collect();
        let mut nodes: Vec<Node> = orgs
            .into_iter()
            .map(|org| Node {
                haystack: format!("{}\n{}", org.name.to_lowercase(), org.code.to_lowercase()),
                parent: None,
                children: Vec::new(),
                org,
            })
            .collect();
        let mut roots = Vec::new();
        for i in 0..nodes.len() {
            let parent = nodes[i]
                .org
                .parent
                .as_ref()
                .and_then(|p| by_code.get(p))
                .copied()
                .filter(|&p| p != i);
            nodes[i].parent = parent;
            match parent {
                Some(p) => nodes[p].children.push(i),
                None => roots.push(i),
            }
        }
        let order = |nodes: &[Node], list: &mut Vec<usize>| {
            list.sort_by(|&a, &b| {
                let key = |i: usize| (kind_rank(nodes[i].org.kind), &nodes[i].org.name);
                key(a).cmp(&key(b))
            });
        };
        order(&nodes, &mut roots);
        for i in 0..nodes.len() {
            let mut children = std::mem::take(&mut nodes[i].children);
            order(&nodes, &mut children);
            nodes[i].children = children;
        }
        Self {
            nodes,
            by_code,
            roots,
        }
    }

    /// The org with this code, if it is in the tree.
    pub fn get(&self, code: &str) -> Option<&Org> {
        self.by_code.get(code).map(|&i| &self.nodes[i].org)
    }

    /// What a bare `/dashboard` shows: the first root (the caller's scope).
    pub fn default_org(&self) -> Option<&Org> {
        self.roots.first().map(|&i| &self.nodes[i].org)
    }

    /// The institutions below `code` (it included, when it is one), in tree order: what a
    /// per-institution page lists when a higher org is selected.
    pub fn institutions_under(&self, code: &str) -> Vec<&Org> {
        self.subtree(code)
            .into_iter()
            .filter(|org| org.kind == OrgKind::Institution)
            .collect()
    }

    /// The codes from the root down to `code`, both included; empty for an unknown code.
    pub fn path(&self, code: &str) -> Vec<&str> {
        let mut path = Vec::new();
        let mut at = self.by_code.get(code).copied();
        while let Some(i) = at {
            path.push(self.nodes[i].org.code.as_str());
            at = self.nodes[i].parent;
        }
        path.reverse();
        path
    }

    /// `code` and every org below it, in tree order (parents before their children); empty
    /// for an unknown code.
    pub fn subtree(&self, code: &str) -> Vec<&Org> {
        let mut found = Vec::new();
        let mut stack: Vec<usize> = self.by_code.get(code).copied().into_iter().collect();
        while let Some(i) = stack.pop() {
            found.push(&self.nodes[i].org);
            stack.extend(self.nodes[i].children.iter().rev());
        }
        found
    }

    /// The browsed tree: every root, and the children of every node in `open`.
    pub fn rows(&self, open: &HashSet<String>) -> Vec<Row<'_>> {
        /// What is still to be listed, depth first.
        enum Next {
            Node(usize, usize),
            More(usize, usize, usize),
        }
        let mut rows = Vec::new();
        let mut stack: Vec<Next> = self.roots.iter().rev().map(|&i| Next::Node(i, 0)).collect();
        while let Some(next) = stack.pop() {
            let (i, depth) = match next {
                Next::Node(i, depth) => (i, depth),
                Next::More(parent, depth, hidden) => {
                    rows.push(Row::More {
                        parent: &self.nodes[parent].org,
                        depth,
                        hidden,
                    });
                    continue;
                }
            };
            let node = &self.nodes[i];
            let is_open = open.contains(&node.org.code) && !node.children.is_empty();
            rows.push(Row::Org {
                org: &node.org,
                depth,
                has_children: !node.children.is_empty(),
                open: is_open,
            });
            if is_open {
                let hidden = node.children.len().saturating_sub(CHILD_LIMIT);
                if hidden > 0 {
                    // Popped after the listed children, so it ends their list.
                    stack.push(Next::More(i, depth + 1, hidden));
                }
                for &child in node.children.iter().take(CHILD_LIMIT).rev() {
                    stack.push(Next::Node(child, depth + 1));
                }
            }
        }
        rows
    }

    /// The orgs whose name or code contains `query` (case-insensitive), at most `limit` of
    /// them in tree order, and how many match in all. A blank query finds nothing.
    pub fn search(&self, query: &str, limit: usize) -> Found<'_> {
        let needle = query.trim().to_lowercase();
        if needle.is_empty() {
            return Found {
                matches: Vec::new(),
                total: 0,
            };
        }
        let mut matches = Vec::new();
        let mut total = 0;
        let mut stack: Vec<usize> = self.roots.iter().rev().copied().collect();
        while let Some(i) = stack.pop() {
            let node = &self.nodes[i];
            if node.haystack.contains(&needle) {
                total += 1;
                if matches.len() < limit {
                    matches.push((&node.org, self.ancestor_names(i)));
                }
            }
            stack.extend(node.children.iter().rev().copied());
        }
        Found { matches, total }
    }

    /// The names of `i`'s ancestors, root first.
    fn ancestor_names(&self, i: usize) -> Vec<&str> {
        let mut names = Vec::new();
        let mut at = self.nodes[i].parent;
        while let Some(p) = at {
            names.push(self.nodes[p].org.name.as_str());
            at = self.nodes[p].parent;
        }
        names.reverse();
        names
    }
}

/// Where a kind sorts among siblings: the declaration order (regions … departments).
fn kind_rank(kind: OrgKind) -> usize {
    OrgKind::ALL
        .iter()
        .position(|&k| k == kind)
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    fn org(code: &str, name: &str, kind: OrgKind, parent: Option<&str>) -> Org {
        Org {
            code: code.into(),
            name: name.into(),
            kind,
            parent: parent.map(Into::into),
            sector: None,
            tz: "Europe/Moscow".into(),
            settlement: None,
            bus_gov_id: None,
        }
    }

    fn demo() -> OrgTree {
        use OrgKind::*;
        OrgTree::new(vec![
            org("demo", "Демонстрационная область", Region, None),
            org("zarechny", "Зареченский район", Municipality, Some("demo")),
            org(
                "minsoc",
                "Министерство социального развития",
                Authority,
                Some("demo"),
            ),
            org("kcson", "КЦСОН «Заречье»", Institution, Some("zarechny")),
            org("school-7", "Школа № 7", Institution, Some("zarechny")),
            org(
                "kcson-home",
                "Отделение надомного обслуживания",
                Department,
                Some("kcson"),
            ),
        ])
    }

    fn codes<'a>(rows: &[Row<'a>]) -> Vec<String> {
        rows.iter()
            .map(|r| match r {
                Row::Org { org, depth, .. } => format!("{depth}:{}", org.code),
                Row::More { parent, hidden, .. } => format!("+{hidden} under {}", parent.code),
            })
            .collect()
    }

    fn open(codes: &[&str]) -> HashSet<String> {
        codes.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn institutions_under_an_org_are_listed_in_tree_order() {
        let tree = demo();
        let under = |code| -> Vec<String> {
            tree.institutions_under(code)
                .iter()
                .map(|o| o.code.clone())
                .collect()
        };
        assert_eq!(under("demo"), ["kcson", "school-7"]);
        assert_eq!(under("kcson"), ["kcson"]);
        assert!(under("minsoc").is_empty());
        assert!(under("nowhere").is_empty());
    }

    #[test]
    fn a_subtree_lists_the_org_and_everything_below_in_tree_order() {
        let tree = demo();
        let subtree = |code| -> Vec<&str> {
            tree.subtree(code)
                .into_iter()
                .map(|o| o.code.as_str())
                .collect()
        };
        assert_eq!(
            subtree("demo"),
            [
                "demo",
                "zarechny",
                "kcson",
                "kcson-home",
                "school-7",
                "minsoc"
            ]
        );
        assert_eq!(subtree("kcson"), ["kcson", "kcson-home"]);
        assert_eq!(subtree("school-7"), ["school-7"]);
        assert!(subtree("nowhere").is_empty());
    }

    #[test]
    fn browsing_lists_roots_and_the_children_of_open_nodes() {
        let tree = demo();
        assert_eq!(codes(&tree.rows(&open(&[]))), ["0:demo"]);
        // Municipalities sort before authorities (kind order), then by name.
        assert_eq!(
            codes(&tree.rows(&open(&["demo"]))),
            ["0:demo", "1:zarechny", "1:minsoc"]
        );
        assert_eq!(
            codes(&tree.rows(&open(&["demo", "zarechny", "kcson"]))),
            [
                "0:demo",
                "1:zarechny",
                "2:kcson",
                "3:kcson-home",
                "2:school-7",
                "1:minsoc"
            ]
        );
        // An open node's children are hidden again when an ancestor closes.
        assert_eq!(codes(&tree.rows(&open(&["zarechny"]))), ["0:demo"]);
        match &tree.rows(&open(&["demo"]))[0] {
            Row::Org {
                has_children, open, ..
            } => assert!(*has_children && *open),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn paths_and_the_default_selection_follow_the_scope() {
        let tree = demo();
        assert_eq!(tree.default_org().map(|o| o.code.as_str()), Some("demo"));
        assert_eq!(
            tree.path("kcson-home"),
            ["demo", "zarechny", "kcson", "kcson-home"]
        );
        assert!(tree.path("elsewhere").is_empty());
        // A scoped caller's list starts below the region: its top is the root.
        let scoped = OrgTree::new(vec![
            org("kcson", "КЦСОН", OrgKind::Institution, Some("zarechny")),
            org(
                "kcson-home",
                "Отделение",
                OrgKind::Department,
                Some("kcson"),
            ),
        ]);
        assert_eq!(scoped.default_org().map(|o| o.code.as_str()), Some("kcson"));
        assert_eq!(OrgTree::new(Vec::new()).default_org(), None);
    }

    #[test]
    fn search_matches_names_and_codes_in_any_case() {
        let tree = demo();
        let found = tree.search("заречь", 10);
        assert_eq!(found.total, 1);
        assert_eq!(found.matches[0].0.code, "kcson");
        assert_eq!(
            found.matches[0].1,
            ["Демонстрационная область", "Зареченский район"]
        );
        let by_code = tree.search("SCHOOL", 10);
        assert_eq!(by_code.matches[0].0.name, "Школа № 7");
        // «Зареч…» is in two names; the tree order lists the district first.
        let two = tree.search("ЗАРЕЧ", 10);
        let names: Vec<_> = two.matches.iter().map(|(o, _)| o.code.as_str()).collect();
        assert_eq!(names, ["zarechny", "kcson"]);
        assert_eq!(tree.search("   ", 10).total, 0);
        assert_eq!(tree.search("нет такого", 10).matches, vec![]);
    }

    /// A region of 2,000 institutions in 40 districts: the lists stay short and a search over
    /// all of them takes well under a frame.
    #[test]
    fn two_thousand_institutions_stay_small_on_screen() {
        let mut orgs = vec![org("r", "Область", OrgKind::Region, None)];
        for d in 0..40 {
            orgs.push(org(
                &format!("d{d}"),
                &format!("Район {d}"),
                OrgKind::Municipality,
                Some("r"),
            ));
        }
        for i in 0..2000 {
            let parent = if i < 150 {
                "d0".to_owned()
            } else {
                format!("d{}", i % 40)
            };
            orgs.push(org(
                &format!("inst-{i:04}"),
                &format!("Учреждение № {i}"),
                OrgKind::Institution,
                Some(&parent),
            ));
        }
        let tree = OrgTree::new(orgs);
        let rows = tree.rows(&open(&["r", "d0"]));
        // The region, 40 districts, d0's first 100 institutions and one «more» line.
        assert_eq!(rows.len(), 1 + 40 + CHILD_LIMIT + 1);
        let d0_children = tree.nodes[tree.by_code["d0"]].children.len();
        assert!(rows.contains(&Row::More {
            parent: tree.get("d0").unwrap(),
            depth: 2,
            hidden: d0_children - CHILD_LIMIT
        }));
        // The «more» line closes d0's list: the next row is the next district.
        let more = rows
            .iter()
            .position(|r| matches!(r, Row::More { .. }))
            .unwrap();
        assert!(matches!(rows[more + 1], Row::Org { depth: 1, .. }));

        let started = Instant::now();
        let found = tree.search("учреждение № 1", 50);
        let took = started.elapsed();
        assert_eq!(found.total, 1111, "1, 10–19, 100–199, 1000–1999");
        assert_eq!(found.matches.len(), 50);
        assert!(took.as_millis() < 50, "search took {took:?}");
        assert_eq!(tree.search("inst-1999", 50).total, 1);
    }
}
