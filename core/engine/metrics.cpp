#include "core/engine/metrics.hpp"

#include <stdexcept>

namespace bridges::core {

namespace {
std::vector<Variable> make_catalogue() {
    std::vector<Variable> v;
    // Flows received by origins; in /global as world totals, in /countries by receiving origin.
    const Variable flows[] = {
        {"", "remit_formal_usd", "USD", "individual remittances sent through formal channels", Axis::none},
        {"", "remit_informal_usd", "USD", "individual remittances sent through informal channels",
         Axis::none},
        {"", "remit_fees_usd", "USD", "fees paid on individual remittances (formal and informal)",
         Axis::none},
        {"", "remit_losses_usd", "USD", "amounts lost in informal channels", Axis::none},
        {"", "remit_received_usd", "USD", "individual remittances received by households", Axis::none},
        {"", "collective_usd", "USD", "collective remittances (association contributions)", Axis::none},
        {"", "matching_usd", "USD", "public matching funds added to collective remittances", Axis::none},
        {"", "investment_usd", "USD", "diaspora investment at origin", Axis::none},
        {"", "bond_usd", "USD", "diaspora bond subscriptions allotted", Axis::none},
        {"", "bond_demand_usd", "USD", "diaspora bond subscriptions requested", Axis::none},
        {"", "crisis_aid_usd", "USD", "relief donations during origin crises", Axis::none},
        {"", "knowledge_transfer_pm", "person-months", "knowledge-transfer assignments", Axis::none},
        {"", "program_cost_usd", "USD", "fiscal cost of diaspora programmes to the state", Axis::none},
        {"", "partner_cost_usd", "USD", "cost of programmes paid by partners", Axis::none},
    };
    for (const auto& f : flows)
        v.push_back({"global", f.name, f.units, f.long_name, Axis::none});
    v.push_back({"global", "ledger_imbalance_usd", "USD",
                 "sum over ledger entries of |paid - received - fees - losses|, plus any difference between "
                 "households' receipts and the ledger's credits",
                 Axis::none});
    v.push_back({"global", "members", "persons", "diaspora members represented", Axis::none});
    v.push_back({"global", "migrants_by_years_abroad", "persons", "diaspora members by whole years abroad",
                 Axis::years_abroad});
    v.push_back({"global", "remit_by_years_abroad_usd", "USD",
                 "individual remittances sent by whole years abroad of the sender", Axis::years_abroad});

    for (const auto& f : flows)
        v.push_back({"countries", f.name, f.units, f.long_name, Axis::country});
    const Variable countries[] = {
        {"", "sent_usd", "USD", "all diaspora transfers sent from this host country", Axis::country},
        {"", "poverty_rate", "1", "share of origin households consuming below the poverty line",
         Axis::country},
        {"", "consumption_mean_usd", "USD", "mean monthly consumption of origin households", Axis::country},
        {"", "consumption_volatility", "1", "mean absolute monthly change of household consumption, relative",
         Axis::country},
        {"", "consumption_migrant_hh_usd", "USD", "mean consumption of households with a migrant",
         Axis::country},
        {"", "consumption_non_migrant_hh_usd", "USD", "mean consumption of households without a migrant",
         Axis::country},
        {"", "income_migrant_hh_usd", "USD", "mean own income of households with a migrant", Axis::country},
        {"", "income_non_migrant_hh_usd", "USD", "mean own income of households without a migrant",
         Axis::country},
        {"", "households_migrant", "households", "households with a migrant represented", Axis::country},
        {"", "remit_consumed_usd", "USD", "remittances received that households consumed", Axis::country},
        {"", "remit_saved_usd", "USD", "remittances received that households saved or invested",
         Axis::country},
        {"", "development_stock_usd", "USD", "community development stock (projects)", Axis::country},
        {"", "human_capital_index", "1", "mean community human-capital index", Axis::country},
        {"", "trust_mean", "1", "mean trust of the diaspora in origin institutions", Axis::country},
        {"", "attachment_mean", "1", "mean attachment of the diaspora to the origin", Axis::country},
        {"", "awareness_mean", "1", "mean awareness of origin programmes in the diaspora", Axis::country},
        {"", "org_membership_share", "1", "share of the diaspora in an association", Axis::country},
        {"", "diaspora_members", "persons", "diaspora of this origin", Axis::country},
        {"", "destination_concentration", "1", "Herfindahl index of the diaspora over host countries",
         Axis::country},
    };
    for (const auto& f : countries)
        v.push_back({"countries", f.name, f.units, f.long_name, Axis::country});
    const Variable corridors[] = {
        {"", "remit_formal_usd", "USD", "individual remittances sent formally", Axis::corridor},
        {"", "remit_informal_usd", "USD", "individual remittances sent informally", Axis::corridor},
        {"", "remit_fees_usd", "USD", "fees paid on individual remittances", Axis::corridor},
        {"", "senders_share", "1", "share of members who sent individual remittances", Axis::corridor},
        {"", "cost_formal", "1", "formal cost as a share of the amount, after caps", Axis::corridor},
        {"", "members", "persons", "members living on the corridor", Axis::corridor},
        {"", "employment_rate", "1", "share of members employed", Axis::corridor},
        {"", "earnings_mean_usd", "USD", "mean monthly income of members", Axis::corridor},
        {"", "sent_usd", "USD", "all diaspora transfers sent on the corridor", Axis::corridor},
    };
    for (const auto& f : corridors)
        v.push_back({"corridors", f.name, f.units, f.long_name, Axis::corridor});
    return v;
}
} // namespace

const std::vector<Variable>& output_variables() {
    static const std::vector<Variable> catalogue = make_catalogue();
    return catalogue;
}

std::size_t variable_index(const std::string& group, const std::string& name) {
    const auto& all = output_variables();
    for (std::size_t i = 0; i < all.size(); ++i)
        if (group == all[i].group && name == all[i].name) return i;
    throw std::out_of_range("no output variable " + group + "/" + name);
}

} // namespace bridges::core
