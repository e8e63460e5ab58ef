//! The orgs part of «Управление»: the selected org's name, settlement and bus.gov.ru id
//! corrected, a new org added under it (only the kinds that may sit there are offered), and a
//! CSV file of orgs imported, all or nothing, with every broken line listed. After a change
//! the scope's org list is read again, so the tree shows it at once.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use otklik_shared::api::Org;
use otklik_shared::org::{OrgKind, Sector, Settlement};

use super::fields::{Choice, ManageForm, Said, TextField};
use super::rules::{self, optional, ORG_FIELDS};
use super::{explain, Subject};
use crate::api::ApiError;
use crate::dashboard::client::{self, manage as api};
use crate::dashboard::session::{use_session, SessionContext};
use crate::dashboard::workspace::SectionContext;
use crate::i18n::{fill, use_i18n, DashboardStrings, I18n, ManageStrings};

/// What an org refusal is about.
fn subject(m: &'static ManageStrings) -> Subject {
    Subject {
        fields: &ORG_FIELDS,
        problems: &m.org_problems,
        exists: m.org_exists,
    }
}

/// What the org forms need after their request returns (the component's context is gone
/// from an async task): the language, the session, the section's context and the form's
/// feedback.
#[derive(Clone)]
struct Sent {
    i18n: I18n,
    session: SessionContext,
    ctx: SectionContext,
    said: RwSignal<Said>,
}

impl Sent {
    fn new(ctx: &SectionContext, said: RwSignal<Said>) -> Self {
        Self {
            i18n: use_i18n(),
            session: use_session(),
            ctx: ctx.clone(),
            said,
        }
    }

    /// On success the org list is read again and `done`'s sentence (from the strings and the
    /// reply) is said above; a refusal is listed under the form, after `heading` for an
    /// import (a refused token ends the session instead).
    fn finish<T>(
        &self,
        result: Result<T, ApiError>,
        heading: Option<&'static str>,
        done: impl FnOnce(&'static ManageStrings, T) -> String,
    ) {
        let t = self.i18n.t().dashboard;
        match result {
            Ok(value) => {
                self.said.set(Said::Nothing);
                self.ctx.orgs_changed.run(done(t.manage, value));
            }
            Err(e) => {
                client::expire_if_refused(&e, self.session);
                let problems = explain(&e, t, &subject(t.manage));
                self.said.set(Said::Refused(heading, problems));
            }
        }
    }
}

/// The options of an optional select: «not set», then each wire value with its name.
fn optional_options(
    m: &'static ManageStrings,
    values: impl Iterator<Item = &'static str>,
    names: &[&'static str],
) -> Vec<(String, String)> {
    std::iter::once((String::new(), m.not_set.to_owned()))
        .chain(
            values
                .zip(names)
                .map(|(v, name)| (v.to_owned(), (*name).to_owned())),
        )
        .collect()
}

/// The options of a settlement select: not set, urban, rural.
fn settlement_options(m: &'static ManageStrings) -> Vec<(String, String)> {
    optional_options(
        m,
        Settlement::ALL.iter().map(|s| s.as_str()),
        &m.settlements,
    )
}

/// The orgs part, acting on the org selected in the tree.
#[component]
pub fn Orgs(ctx: SectionContext, t: &'static DashboardStrings) -> impl IntoView {
    let m = t.manage;
    let org = {
        let tree = ctx.tree.clone();
        Memo::new(move |_| ctx.selected.get().and_then(|c| tree.get(&c).cloned()))
    };
    let name = move || org.with(|o| o.as_ref().map(|o| o.name.clone()).unwrap_or_default());
    let forms = {
        let ctx = ctx.clone();
        move || {
            org.get().map(|org| {
                view! {
                    <EditOrg org=org.clone() ctx=ctx.clone() m=m />
                    <AddOrg parent=org ctx=ctx.clone() t=t />
                }
            })
        }
    };
    view! {
        <section class="manage-part" aria-labelledby="manage-orgs">
            <h2 id="manage-orgs">{m.orgs}</h2>
            <p>{move || fill(m.selected, &[("org", &name())])}</p>
            <p class="hint">{m.pick_hint}</p>
            {forms}
            <ImportOrgs ctx=ctx m=m />
        </section>
    }
    .into_any()
}

/// Corrects the selected org: name, settlement, bus.gov.ru id.
#[component]
fn EditOrg(org: Org, ctx: SectionContext, m: &'static ManageStrings) -> impl IntoView {
    let name = RwSignal::new(org.name.clone());
    let settlement = RwSignal::new(
        org.settlement
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
    );
    let bus_gov_id = RwSignal::new(org.bus_gov_id.clone().unwrap_or_default());
    let said = RwSignal::new(Said::Nothing);
    let title = fill(m.edit_title, &[("org", &org.name)]);
    let code = org.code;
    let sent = Sent::new(&ctx, said);
    let on_submit = Callback::new(move |()| {
        let patch = api::OrgPatch {
            name: name.get_untracked(),
            settlement: optional(&settlement.get_untracked()),
            bus_gov_id: optional(&bus_gov_id.get_untracked()),
        };
        let (sent, code) = (sent.clone(), code.clone());
        said.set(Said::Sending);
        spawn_local(async move {
            let result = api::update_org(&sent.ctx.session.token, &code, &patch).await;
            sent.finish(result, None, |m, org| fill(m.saved, &[("org", &org.name)]));
        });
    });
    let fields = vec![
        view! { <TextField id="edit-name" label=m.org_fields[1] value=name required=true /> }.into_any(),
        view! { <Choice id="edit-settlement" label=m.org_fields[6] value=settlement options=settlement_options(m) /> }.into_any(),
        view! { <TextField id="edit-bus-gov-id" label=m.org_fields[7] value=bus_gov_id /> }.into_any(),
    ];
    view! {
        <ManageForm id="edit-org-title" title=title fields=fields button=m.save said=said sending=m.sending on_submit=on_submit />
    }
}

/// Adds an org under `parent`, of a kind that may sit there.
#[component]
fn AddOrg(parent: Org, ctx: SectionContext, t: &'static DashboardStrings) -> impl IntoView {
    let m = t.manage;
    let kinds = rules::kinds_under(parent.kind);
    let Some(&first) = kinds.first() else {
        return view! { <p class="hint">{m.no_children}</p> }.into_any();
    };
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(first.as_str().to_owned());
    let sector = RwSignal::new(
        parent
            .sector
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
    );
    let tz = RwSignal::new(String::new());
    let settlement = RwSignal::new(String::new());
    let bus_gov_id = RwSignal::new(String::new());
    let said = RwSignal::new(Said::Nothing);
    let kind_options = kinds
        .iter()
        .map(|&k| {
            let index = OrgKind::ALL.iter().position(|&a| a == k).unwrap_or(0);
            (k.as_str().to_owned(), t.kinds[index].to_owned())
        })
        .collect();
    let sector_options = optional_options(m, Sector::ALL.iter().map(|s| s.as_str()), &m.sectors);
    let title = fill(m.add_title, &[("org", &parent.name)]);
    let tz_hint = fill(m.tz_hint, &[("tz", &parent.tz)]);
    let parent = parent.code;
    let sent = Sent::new(&ctx, said);
    let on_submit = Callback::new(move |()| {
        let new = api::NewOrg {
            code: code.get_untracked().trim().to_owned(),
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            parent: parent.clone(),
            sector: optional(&sector.get_untracked()),
            tz: optional(&tz.get_untracked()),
            settlement: optional(&settlement.get_untracked()),
            bus_gov_id: optional(&bus_gov_id.get_untracked()),
        };
        let sent = sent.clone();
        said.set(Said::Sending);
        spawn_local(async move {
            let result = api::create_org(&sent.ctx.session.token, &new).await;
            sent.finish(result, None, |m, org| fill(m.added, &[("org", &org.name)]));
        });
    });
    let fields = vec![
        view! { <TextField id="new-code" label=m.org_fields[0] value=code required=true /> }.into_any(),
        view! { <TextField id="new-name" label=m.org_fields[1] value=name required=true /> }.into_any(),
        view! { <Choice id="new-kind" label=m.org_fields[2] value=kind options=kind_options /> }.into_any(),
        view! { <Choice id="new-sector" label=m.org_fields[4] value=sector options=sector_options /> }.into_any(),
        view! { <TextField id="new-tz" label=m.org_fields[5] value=tz hint=tz_hint /> }.into_any(),
        view! { <Choice id="new-settlement" label=m.org_fields[6] value=settlement options=settlement_options(m) /> }.into_any(),
        view! { <TextField id="new-bus-gov-id" label=m.org_fields[7] value=bus_gov_id /> }.into_any(),
    ];
    view! {
        <ManageForm id="add-org-title" title=title fields=fields button=m.add said=said sending=m.sending on_submit=on_submit />
    }
    .into_any()
}

/// Imports a CSV file of orgs: all of them, or none and the list of broken lines.
#[component]
fn ImportOrgs(ctx: SectionContext, m: &'static ManageStrings) -> impl IntoView {
    let file = NodeRef::<html::Input>::new();
    let said = RwSignal::new(Said::Nothing);
    let sent = Sent::new(&ctx, said);
    let on_submit = Callback::new(move |()| {
        let picked = file
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(picked) = picked else {
            said.set(Said::Refused(None, vec![m.import_no_file.to_owned()]));
            return;
        };
        let sent = sent.clone();
        said.set(Said::Sending);
        spawn_local(async move {
            let result = api::import_orgs(&sent.ctx.session.token, &picked).await;
            let heading = matches!(result, Err(ApiError::Http { status: 422, .. }))
                .then_some(m.import_refused);
            sent.finish(result, heading, |m, orgs| {
                fill(m.imported, &[("n", &orgs.len().to_string())])
            });
        });
    });
    let fields = vec![view! {
        <p class="hint" id="import-hint">{m.import_hint}</p>
        <div class="form-row">
            <label for="import-file">{m.import_file}</label>
            <input id="import-file" type="file" accept=".csv,text/csv" aria-describedby="import-hint" node_ref=file />
        </div>
    }
    .into_any()];
    view! {
        <ManageForm id="import-title" title=m.import_title.to_owned() fields=fields button=m.import said=said sending=m.sending on_submit=on_submit />
    }
}
