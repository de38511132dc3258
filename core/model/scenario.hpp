#pragma once
// The scenario description: plain values, every one with a default, a unit and a source.
//
// Each struct has a `visit(V&, T&)` function listing its fields once. Readers (validation),
// writers (the resolved scenario) and the parameter reference in docs/ all walk these lists, so a
// field cannot be documented, read and written differently. A visitor provides:
//   number(Param, double&), integer(Param, int64&), text(Param, string&), flag(Param, bool&),
//   month(Param, YearMonth&), codes(Param, vector<string>&), series(Param, vector<double>&),
//   choice(Param, string&, const vector<string>& allowed),
//   section(key, doc, T&), list(key, doc, vector<T>&)

#include "core/model/calendar.hpp"
#include "core/model/param.hpp"
#include "core/policy/levers.hpp"
#include "core/policy/shocks.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace bridges::core {

// ---------------------------------------------------------------- world -----------------------

/// A country's observed path over the years (world.history; docs/history.md): annual values, the
/// first for the year `from`, each taken as the year's mid-point and interpolated between years.
/// An empty series holds the country's value of the start over the run.
struct CountryDrivers {
    std::int64_t from = 0; // year of each series' first value
    std::vector<double> gdp_per_capita_usd, fx_lcu_per_usd, price_index, unemployment_rate,
        financial_inclusion;
    [[nodiscard]] bool any() const {
        return !gdp_per_capita_usd.empty() || !fx_lcu_per_usd.empty() || !price_index.empty() ||
               !unemployment_rate.empty() || !financial_inclusion.empty();
    }
};

template <class V> void visit(V& v, CountryDrivers& s) {
    v.integer({"from", "year", 1900, 2200, "scenario", "year of the first value of each series"}, s.from);
    v.series({"gdp_per_capita_usd", "USD/year", 1, 1e6, "World Bank WDI NY.GDP.PCAP.CD",
              "GDP per capita in current US dollars, by year: moves host earnings and origin household "
              "incomes in dollars (log-linear between years)"},
             s.gdp_per_capita_usd);
    v.series({"fx_lcu_per_usd", "LCU/USD", 1e-9, 1e15, "World Bank WDI PA.NUS.FCRF",
              "official exchange rate, local currency per dollar, annual average (log-linear between "
              "years)"},
             s.fx_lcu_per_usd);
    v.series({"price_index", "ratio", 1e-15, 1e15, "World Bank WDI FP.CPI.TOTL.ZG, cumulated",
              "consumer prices relative to 2017 (log-linear between years): with the exchange rate, "
              "what a dollar buys in the country"},
             s.price_index);
    v.series({"unemployment_rate", "share", 0, 1, "World Bank WDI SL.UEM.TOTL.ZS (ILO modelled)",
              "unemployment rate: as a host, moves its migrants' job losses and job finding "
              "(linear between years)"},
             s.unemployment_rate);
    v.series({"financial_inclusion", "share", 0, 1,
              "the fill rule of docs/world-data.md applied to each year's GDP per capita",
              "share of adults with an account, by year (linear between years)"},
             s.financial_inclusion);
}

struct CountrySpec {
    std::string code; // ISO3
    std::string name;
    double population = 10e6; // persons
    double gdp_per_capita_usd = 5000;
    double growth = 0.02; // per year
    double financial_inclusion = 0.5;
    double governance = 0.5;
    double household_size = 4.5;    // persons
    double poverty_line_usd = 2.15; // international dollars (2017 PPP) per person per day
    double price_level = 1.0;       // PPP conversion factor over the market exchange rate
    double poverty_headcount = -1;  // share below the line in the start year; < 0: not fitted
    CountryDrivers drivers;         // observed paths (world.history)
};

template <class V> void visit(V& v, CountrySpec& s) {
    v.text({"code", "ISO3", 0, 0, "ISO 3166-1 alpha-3", "country code", true}, s.code);
    v.text({"name", "text", 0, 0, "scenario (a label)", "display name"}, s.name);
    v.number({"population", "persons", 1, 2e10, "UN DESA", "resident population"}, s.population);
    v.number({"gdp_per_capita_usd", "USD/year", 1, 1e6, "World Bank WDI",
              "GDP per capita; sets host wages and origin household incomes"},
             s.gdp_per_capita_usd);
    v.number({"growth", "1/year", -0.5, 0.5, "World Bank WDI", "real income growth per year"}, s.growth);
    v.number({"financial_inclusion", "share", 0, 1, "World Bank Findex",
              "share of adults with an account; access to formal channels"},
             s.financial_inclusion);
    v.number({"governance", "0-1", 0, 1, "World Bank WGI (rescaled)",
              "institutional quality; the level diaspora trust settles to"},
             s.governance);
    v.number(
        {"household_size", "persons", 1, 30, "UN household size database", "persons per origin household"},
        s.household_size);
    v.number({"poverty_line_usd", "PPP USD/person/day", 0, 1000,
              "World Bank international poverty line: US$2.15 a day at 2017 purchasing-power parity",
              "poverty line per person, in international dollars of 2017; fixed over the run"},
             s.poverty_line_usd);
    v.number({"price_level", "ratio", 0.01, 10,
              "World Bank WDI: PPP conversion factor for private consumption (PA.NUS.PRVT.PP) over the "
              "market exchange rate (PA.NUS.FCRF), start year; 1 (prices as in the United States) "
              "is an assumption for countries without a figure",
              "US dollars at market rates that buy what one international dollar buys in the country"},
             s.price_level);
    v.number({"poverty_headcount", "share", -1, 1,
              "World Bank WDI SI.POV.DDAY (headcount at US$2.15 a day, 2017 PPP), survey year "
              "nearest the start; -1 (not fitted: the spread is population.household_income_sigma)",
              "share of the population below the poverty line, to which the spread of the origin's "
              "household incomes is fitted"},
             s.poverty_headcount);
    v.section("drivers", "observed paths over the years (world.history; docs/history.md)", s.drivers);
}

/// A corridor's observed path (world.history; docs/history.md): its migrant stock at the given
/// years' mid-points (linear between them, held after the last) and its formal cost by year.
struct CorridorDrivers {
    std::vector<double> stock_years, stock;
    std::int64_t cost_from = 0; // year of the first cost
    std::vector<double> cost_formal;
    [[nodiscard]] bool any() const { return !stock.empty() || !cost_formal.empty(); }
};

template <class V> void visit(V& v, CorridorDrivers& s) {
    v.series({"stock_years", "year", 1900, 2200, "UN DESA International Migrant Stock 2020",
              "years of the stocks below (mid-year), increasing"},
             s.stock_years);
    v.series({"stock", "persons", 0, 5e8, "UN DESA International Migrant Stock 2020",
              "migrants from origin living in host at each of stock_years: members arrive and leave so "
              "that the corridor's count follows it"},
             s.stock);
    v.integer({"cost_from", "year", 1900, 2200, "scenario", "year of the first formal cost"}, s.cost_from);
    v.series({"cost_formal", "share", 0, 0.5, "World Bank Remittance Prices Worldwide (annual mean)",
              "total cost of a formal transfer by year (linear between years, held beyond them)"},
             s.cost_formal);
}

struct CorridorSpec {
    std::string origin;
    std::string host;
    double stock = 0;            // migrants (persons)
    double cost_formal = 0.065;  // share of amount sent
    double cost_informal = 0.03; // share of amount sent
    double informal_loss = 0.02; // expected share lost in informal channels
    double distance_km = 5000;
    double propensity = 1.0; // multiplier of the amounts its members want to send and can pay from
    CorridorDrivers drivers; // observed paths (world.history)
};

template <class V> void visit(V& v, CorridorSpec& s) {
    v.text({"origin", "ISO3", 0, 0, "scenario", "origin country code", true}, s.origin);
    v.text({"host", "ISO3", 0, 0, "scenario", "host country code", true}, s.host);
    v.number({"stock", "persons", 1, 5e8, "UN DESA / World Bank bilateral stocks",
              "migrants from origin living in host", true},
             s.stock);
    v.number({"cost_formal", "share", 0, 0.5, "World Bank Remittance Prices Worldwide",
              "total cost of a formal transfer as a share of the amount"},
             s.cost_formal);
    v.number({"cost_informal", "share", 0, 0.5, "Freund & Spatafora (2008)",
              "fee of informal channels as a share of the amount"},
             s.cost_informal);
    v.number({"informal_loss", "share", 0, 0.5,
              "assumption: no estimate found; recorded inflows cannot tell it from cost_informal",
              "expected share of an informal transfer that is lost"},
             s.informal_loss);
    v.number({"distance_km", "km", 0, 25000, "CEPII GeoDist", "distance between capitals"}, s.distance_km);
    v.number({"propensity", "ratio", 0, 1000,
              "assumption (1); `bridges calibrate --per-corridor` fits it, a fit and not a prediction",
              "multiplier of the amounts the corridor's members want to send and of the income they can pay "
              "them from (earnings the model does not represent: several earners, pay across a border, "
              "recording practice)"},
             s.propensity);
    v.section("drivers", "observed paths over the years (world.history; docs/history.md)", s.drivers);
}

struct PopulationSpec {
    double extra_migrants_per_household = 0.3; // mean of a Poisson count above one
    double non_migrant_households = 1.0;       // per migrant household
    std::int64_t households_per_community = 400;
    double skill_low = 0.45;
    double skill_mid = 0.35; // high = 1 - low - mid
    double years_abroad_mean = 9;
    double employment_rate = 0.93;
    double org_member_share = 0.08;
    double income_ratio_low = 0.45;
    double income_ratio_mid = 0.75;
    double income_ratio_high = 1.3;
    double income_sigma = 0.35;
    double household_income_share = 0.48;
    double household_income_sigma = 0.6;
    double attachment_mean = 0.6;
    double attachment_spread = 0.15;
    double trust_spread = 0.15;
    double awareness_mean = 0.2;
    double household_savings_months = 0.5;
    double member_savings_months = 2.0;
    std::int64_t burn_in_months = 12;
};

template <class V> void visit(V& v, PopulationSpec& s) {
    v.number({"extra_migrants_per_household", "migrants", 0, 5,
              "assumption: no cross-country figure found; household surveys with migrant rosters (e.g. the "
              "Philippine Survey of Overseas Filipinos) would set it; recorded inflows do not identify how "
              "migrants spread over households",
              "mean of the Poisson number of migrants above one in a migrant household"},
             s.extra_migrants_per_household);
    v.number({"non_migrant_households", "households", 0, 10,
              "simulation design (the size of the comparison group, weighted to the population for poverty "
              "measures)",
              "households without a migrant simulated per migrant household (comparison group)"},
             s.non_migrant_households);
    v.integer({"households_per_community", "households", 1, 1e7,
               "assumption: a locality's size, not identified by recorded inflows",
               "households in one origin community (locality)"},
              s.households_per_community);
    v.number({"skill_low", "share", 0, 1, "OECD DIOC (approx.)", "share of low-skill migrants"}, s.skill_low);
    v.number({"skill_mid", "share", 0, 1, "OECD DIOC (approx.)",
              "share of mid-skill migrants; high = 1 - low - mid"},
             s.skill_mid);
    v.number({"years_abroad_mean", "years", 0, 60, "UN DESA (approx.)",
              "mean years abroad at the start (exponential, capped at 40)"},
             s.years_abroad_mean);
    v.number({"employment_rate", "share", 0, 1, "OECD migrant employment (approx.)",
              "share employed at the start"},
             s.employment_rate);
    v.number({"org_member_share", "share", 0, 1, "Orozco (2000s HTA surveys, approx.)",
              "share of members in a hometown association at the start"},
             s.org_member_share);
    v.number(
        {"income_ratio_low", "ratio", 0, 10,
         "BLS (2019), foreign-born full-time workers with less than high school earned US$535 a week in "
         "2018: 535 x 52 / US GDP per capita 2018 (about 62,800) = 0.44, 0.47 as a log-normal mean (US only)",
         "low-skill migrant earnings relative to host GDP per capita"},
        s.income_ratio_low);
    v.number(
        {"income_ratio_mid", "ratio", 0, 10,
         "BLS (2019), foreign-born full-time workers with high school or some college earned US$632-755 a "
         "week in 2018: 0.52-0.63 of US GDP per capita (0.56-0.67 as a mean); 0.75 lies above (US only)",
         "mid-skill earnings relative to host GDP per capita"},
        s.income_ratio_mid);
    v.number({"income_ratio_high", "ratio", 0, 10,
              "BLS (2019), foreign-born full-time workers with a bachelor's degree or more earned US$1,362 a "
              "week in 2018: 1.13 of US GDP per capita, 1.2 as a mean; 1.3 lies above (US only)",
              "high-skill earnings relative to host GDP per capita"},
             s.income_ratio_high);
    v.number({"income_sigma", "log", 0, 3,
              "assumption: the spread within a skill group would come from earnings microdata (e.g. the "
              "American Community Survey); recorded inflows do not identify it",
              "log-normal spread of migrant earnings"},
             s.income_sigma);
    v.number({"household_income_share", "ratio", 0, 10,
              "Prydz, Jolliffe & Serajuddin (2021), Mind the gap: disparities in assessments of living "
              "standards using national accounts and household surveys, World Bank Policy Research Working "
              "Paper 9779: per capita income means of household surveys are about 52% below GDP per capita "
              "(over 2,000 surveys), 1 - 0.52 = 0.48",
              "origin household income per person relative to GDP per capita"},
             s.household_income_share);
    v.number({"household_income_sigma", "log", 0, 3,
              "fitted to each origin's poverty headcount where the scenario gives one "
              "(countries[].poverty_headcount); otherwise assumption",
              "log-normal spread of origin household incomes"},
             s.household_income_sigma);
    v.number({"attachment_mean", "0-1", 0, 1,
              "assumption: a latent scale with no survey measure; it enters the sending logit only with "
              "behaviour.remit.intercept, which is calibrated; a normalisation",
              "mean attachment on arrival (eroded by slow.attachment_erosion over years abroad)"},
             s.attachment_mean);
    v.number({"attachment_spread", "0-1", 0, 1,
              "assumption: a latent scale with no survey measure; a normalisation of the attachment scale",
              "standard deviation of initial attachment around its mean"},
             s.attachment_spread);
    v.number({"trust_spread", "0-1", 0, 1,
              "assumption: a latent scale with no survey measure; a normalisation of the trust scale",
              "spread of initial trust around the origin's governance"},
             s.trust_spread);
    v.number({"awareness_mean", "0-1", 0, 1,
              "assumption: no survey of diasporas' awareness of origin programmes found; it matters only for "
              "levers",
              "mean awareness of origin programmes at the start, and the background level it returns to"},
             s.awareness_mean);
    v.number({"household_savings_months", "months", 0, 120,
              "assumption: an initial condition that the burn-in settles",
              "initial savings of origin households in months of income"},
             s.household_savings_months);
    v.number({"member_savings_months", "months", 0, 120,
              "assumption (buffer-stock saving, Carroll 1997: a target of a few months of income)",
              "members' buffer of savings in months of usual earnings: they save until they hold it"},
             s.member_savings_months);
    v.integer({"burn_in_months", "months", 0, 240,
               "assumption (long enough for savings, memberships and expectations to settle: their "
               "adjustment times are under a year)",
               "months simulated before the start without levers or shocks, at start prices and "
               "unrecorded, so that a run starts at the world's steady state"},
              s.burn_in_months);
}

struct NetworkSpec {
    std::int64_t mean_degree = 8;
    double rewire = 0.1;
    std::string graph = "explicit";
};

inline const std::vector<std::string>& graph_kinds() {
    static const std::vector<std::string> kinds = {"explicit", "implicit"};
    return kinds;
}

/// The largest mean_degree of an implicit graph: one byte per member marks its rewired links.
inline constexpr std::int64_t kImplicitMaxDegree = 16;

template <class V> void visit(V& v, NetworkSpec& s) {
    v.integer({"mean_degree", "links", 0, 64, "assumption (small-world, Watts & Strogatz 1998)",
               "mean number of social links per member (even numbers; odd rounds down)"},
              s.mean_degree);
    v.number({"rewire", "share", 0, 1,
              "assumption: Watts & Strogatz (1998) give the small-world form, not the share; not identified "
              "by recorded inflows",
              "share of links rewired to a random member of the same origin"},
             s.rewire);
    v.choice({"graph", "name", 0, 0, "docs/model.md section 2.3",
              "how the graph is held: explicit (every link end stored, 4 * mean_degree + 4 bytes per "
              "member) or implicit (the ring recomputed each month from one byte per member, for worlds "
              "too large for explicit links; mean_degree at most 16; a rewired link is seen only by the "
              "member who made it)"},
             s.graph, graph_kinds());
}

// ------------------------------------------------------------- behaviour ---------------------

struct LabourSpec {
    double separation = 0.01;
    double job_finding = 0.15;
    double unemployed_income_share = 0.14;
    double finding_slowdown = 10.0;
    double turnover = 0.11;
    double separation_share = 0.25;
};
template <class V> void visit(V& v, LabourSpec& s) {
    v.number({"separation", "1/month", 0, 1, "OECD (approx.)", "monthly chance of losing a job"},
             s.separation);
    v.number({"job_finding", "1/month", 0, 1, "OECD (approx.)", "monthly chance of finding a job"},
             s.job_finding);
    v.number({"unemployed_income_share", "ratio", 0, 1,
              "Immervoll & Scarpetta (2012), Activation and employment support policies in OECD countries, "
              "IZA Journal of Labor Policy 1:9, table 1: net replacement rate 56% in the first year of "
              "unemployment (OECD average, 2010 rules); OECD Employment Outlook 2018, ch. 5: fewer than one "
              "in four jobseekers receive unemployment benefits; 0.25 x 0.56 = 0.14 (migrants are less often "
              "eligible; the US's pandemic benefits, a median 145% for the eligible in April-July 2020 by "
              "Ganong, Noel & Vavra 2020, are not represented)",
              "income when unemployed relative to earnings"},
             s.unemployed_income_share);
    v.number(
        {"finding_slowdown", "ratio", 0, 1000,
         "assumption on the size; Elsby, Hobijn & Sahin (2013, REStat 95(2)) and Shimer (2012) put most of "
         "unemployment's movements in job finding (55-85%), which this slowdown represents in recessions",
         "job finding falls by this times the extra monthly job-loss chance of a recession"},
        s.finding_slowdown);
    v.number({"turnover", "1/year", 0, 1,
              "assumption within the published range: 20-50% of immigrants leave within five years of "
              "arrival (OECD International Migration Outlook 2008, part III), 4.4-12.9% a year; 1.0-1.5% of "
              "the whole foreign-born population of the US emigrate a year (Schwabish 2011, International "
              "Journal of Population Research 546201); 0.11 stands for a mix that includes the Gulf's "
              "temporary workers, whose exit rate no source gives",
              "share of members a year who leave and are replaced by a newly arrived migrant"},
             s.turnover);
    v.number({"separation_share", "share", 0, 1,
              "Shimer (2012), Reassessing the ins and outs of unemployment, RED 15(2): about three "
              "quarters of the movements of US unemployment come from job finding, one quarter from "
              "separations",
              "share of a change in the host's odds of unemployment (world.history) that moves "
              "its migrants' monthly chance of losing a job; the rest moves their chance of finding one"},
             s.separation_share);
}

struct InformationSpec {
    double diffusion = 0.05;
    double attachment_diffusion = 0.02;
    double awareness_decay = 0.01;
};
template <class V> void visit(V& v, InformationSpec& s) {
    v.number({"diffusion", "1/month", 0, 1, "assumption (DeGroot averaging)",
              "pull of awareness and trust towards the neighbours' mean"},
             s.diffusion);
    v.number({"attachment_diffusion", "1/month", 0, 1,
              "assumption: no rate of peer influence on attachment found; not identified by recorded inflows",
              "pull of attachment towards the neighbours' mean"},
             s.attachment_diffusion);
    v.number({"awareness_decay", "1/month", 0, 1,
              "assumption: no estimate of how fast awareness of programmes fades found; it matters only for "
              "levers",
              "return of awareness towards its background level (population.awareness_mean)"},
             s.awareness_decay);
}

struct RemitSpec {
    double intercept = 0.55;
    double attachment = 3.0;
    double need = 1.5;
    double unemployed = -0.3;
    double cost = -8.0;
    double amount_share = 0.15;
    double host_income_elasticity = 1.0;
    double reference_income_usd = 60000;
    double income_elasticity = 0.2;
    double years_peak = 8.0;
    double years_floor = 0.5;
    double years_amplitude = 0.7;
    double insurance_replacement = 0.6;
    double insurance_own_loss = 1.0;
    double price_elasticity = 0.4;
    double formal_intercept = 1.2;
    double formal_cost = -50.0;
    double formal_access = 1.5;
    double formal_trust = 1.0;
    double disruption_switch = 0.5;
    double channel_review = 0.026;
    double affordable_income = 0.5;
    double affordable_savings = 0.25;
    double paid_from_income = 0.3;
};
// The source of a parameter that bridges calibrate --history fits: its value in the committed overlay.
#define BRIDGES_HISTORY_FIT(value)                                                                           \
    "; fitted to the recorded inflows, outflows and Mexico's months of 2010-2019 by bridges calibrate "      \
    "--history: " value " in scenarios/world/history_calibration.yaml (docs/history.md)"
template <class V> void visit(V& v, RemitSpec& s) {
    v.number({"intercept", "logit", -20, 20, "calibrated (fact 1)",
              "log-odds of sending in a month at mean covariates"},
             s.intercept);
    v.number({"attachment", "logit/unit", -50, 50, "Lucas & Stark (1985), assumption size",
              "effect of attachment (centred at 0.5) on sending"},
             s.attachment);
    v.number({"need", "logit/unit", -50, 50, "Lucas & Stark (1985), assumption size",
              "effect of the household's shortfall below the poverty line"},
             s.need);
    v.number(
        {"unemployed", "logit", -50, 50,
         "assumption on the size: in 2008-09 migrants drew on savings to keep sending (Orozco 2009, "
         "Inter-American Dialogue), the share of Hispanic immigrants in the US who remit was 54% in 2008 "
         "against 51% in 2006 while their unemployment rose 2.9 points in 2008 (Lopez, Livingston & Kochhar "
         "2009, Pew Hispanic Center), and in 2020 many kept sending after losing a job (Orozco & Klaas "
         "2021): a small penalty",
         "effect of unemployment on sending"},
        s.unemployed);
    v.number({"cost", "logit/unit", -500, 500,
              "Freund & Spatafora (2008), assumption size" BRIDGES_HISTORY_FIT("-6.29"),
              "effect of the formal cost share on sending"},
             s.cost);
    v.number({"amount_share", "share", 0, 1, "IFAD (2017): about 15% of earnings",
              "share of earnings a sender remits at the peak-free baseline"},
             s.amount_share);
    v.number({"host_income_elasticity", "ratio", 0, 2,
              "assumption (1: the same share of earnings everywhere); bridges calibrate fits 0.029 to the "
              "World Bank's 2017 matrix in scenarios/world/baseline_2017_calibration.yaml "
              "(docs/world-data.md)",
              "elasticity of the amount sent to the host's GDP per capita, relative to "
              "reference_income_usd, with earnings in the host held at their level"},
             s.host_income_elasticity);
    v.number({"reference_income_usd", "USD/year", 100, 1e6,
              "assumption: the United States, the largest host, 2017 (World Bank WDI: about 60,000)",
              "host GDP per capita at which amount_share holds as stated when "
              "host_income_elasticity is not 1"},
             s.reference_income_usd);
    v.number(
        {"income_elasticity", "ratio", 0, 2,
         "assumption (remittances respond less than one for one to earnings; fact 8)" BRIDGES_HISTORY_FIT(
             "0.197"),
         "elasticity of the amount sent to current over usual earnings"},
        s.income_elasticity);
    v.number({"years_peak", "years", 0.1, 60,
              "Makina & Masenge (2015) South Africa: ~8 years; Echazarra (2011, remesas.org working paper "
              "5-2011): the peak comes after 5 to 10 years abroad",
              "years abroad at which the amount sent peaks (inverted U)"},
             s.years_peak);
    v.number(
        {"years_floor", "ratio", 0, 5,
         "assumption: the inverted U of the propensity to remit over time abroad is documented (Busetta, "
         "Cetorelli & Stranges 2016, International Migration 54(2)), its height on arrival is not",
         "amount multiplier on arrival and long after the peak"},
        s.years_floor);
    v.number({"years_amplitude", "ratio", 0, 5,
              "assumption: the inverted U is documented (Busetta, Cetorelli & Stranges 2016; Makina & "
              "Masenge 2015), its height above the floor is not" BRIDGES_HISTORY_FIT("0.591"),
              "height of the inverted U above the floor at the peak"},
             s.years_amplitude);
    v.number({"insurance_replacement", "share", 0, 2, "Yang & Choi (2007): ~60%",
              "share of a household's income loss its migrants send on top"},
             s.insurance_replacement);
    v.number({"insurance_own_loss", "ratio", 0, 1,
              "Townsend (1994), Risk and insurance in village India, Econometrica 62(3): within a "
              "network that shares risk, transfers answer the difference between its members' shocks "
              "and not the shock they share; Yang & Choi (2007) find Philippine migrants' remittances "
              "consistent with it. 1: the full risk-sharing rule",
              "weight of the migrant's own fall of income (a share of its usual income) subtracted "
              "from the household's (a share of its usual income) before the top-up answers the rest"},
             s.insurance_own_loss);
    v.number({"price_elasticity", "ratio", -2, 2,
              "Yang (2008), International migration, remittances and household investment: evidence "
              "from Philippine migrants' exchange rate shocks, Economic Journal 118: remittances in "
              "pesos rise 0.6% per 1% depreciation of the peso, so dollars sent fall 0.4%: 1 - "
              "0.6" BRIDGES_HISTORY_FIT("-0.098"),
              "elasticity of the dollars sent to the dollar price of the origin's goods (its real exchange "
              "rate against the start): 1 for senders who target what a transfer buys at home, 0 for "
              "senders who think in dollars"},
             s.price_elasticity);
    v.number({"formal_intercept", "logit", -20, 20, "calibrated (fact 4)",
              "log-odds of the formal channel at equal cost"},
             s.formal_intercept);
    v.number({"formal_cost", "logit/unit", -1000, 0,
              "Freund & Spatafora (2008), fact 4" BRIDGES_HISTORY_FIT("-6.50"),
              "effect of (formal - informal) total cost on choosing formal"},
             s.formal_cost);
    v.number({"formal_access", "logit/unit", -50, 50, "Findex, assumption size" BRIDGES_HISTORY_FIT("1.51"),
              "effect of financial inclusion (centred at 0.5) on choosing formal"},
             s.formal_access);
    v.number({"formal_trust", "logit/unit", -50, 50,
              "assumption: no estimate of trust's effect on channel choice found",
              "effect of trust (centred at 0.5) on choosing formal"},
             s.formal_trust);
    v.number(
        {"disruption_switch", "share", 0, 1,
         "assumption: the shift from informal to formal channels in 2020 is documented without its "
         "size (World Bank, Migration and Development Brief 34, 2021; Dinarte-Diaz, Jaume, Medina-Cortina "
         "& Winkler 2022, World Bank Policy Research Working Paper 10057: formal inflows rose more where "
         "informal channels had been used more); no share of blocked senders who switched found",
         "share of blocked informal senders who switch to formal instead of not sending"},
        s.disruption_switch);
    v.number({"channel_review", "1/month", 0, 1,
              "Jack & Suri (2014), Risk sharing and transactions costs: evidence from Kenya's mobile "
              "money revolution, AER 104(1): household adoption of M-Pesa rose from 43% to 70% in about "
              "two years, 1 - (0.30 / 0.57)^(1/24) = 0.026 of non-users a month" BRIDGES_HISTORY_FIT("0.028"),
              "chance a sender reconsiders its channel in a month (the logit of the formal channel); "
              "otherwise it keeps the one it used last; a newcomer chooses on its first decision"},
             s.channel_review);
    v.number({"affordable_income", "share", 0, 1,
              "assumption: a budget rule that binds only when income falls; no estimate found",
              "a month's transfers are at most this share of income plus a share of savings"},
             s.affordable_income);
    v.number({"affordable_savings", "share", 0, 1,
              "assumption: a budget rule; in 2008-09 migrants drew on savings to keep sending (Orozco 2009), "
              "not how much",
              "share of savings that may go into a month's transfers"},
             s.affordable_savings);
    v.number({"paid_from_income", "share", 0, 1, "assumption: a budget rule; no estimate found",
              "share of income that pays for transfers before savings are drawn down"},
             s.paid_from_income);
}
#undef BRIDGES_HISTORY_FIT

struct CollectiveSpec {
    double join_rate = 0.014;
    double leave_rate = 0.004;
    double contribute_prob = 0.4;
    double contribution_usd = 25;
    double match_response = 0.1;
    double approval_share = 0.93;
    double depreciation = 0.0034;
    double development_return = 0.008;
};
template <class V> void visit(V& v, CollectiveSpec& s) {
    v.number({"join_rate", "1/month", 0, 1,
              "fitted: the stationary share of members in an association, join / (join + leave + "
              "turnover), equals population.org_member_share (docs/model.md 7.5)",
              "chance of joining an association at full awareness and attachment"},
             s.join_rate);
    v.number({"leave_rate", "1/month", 0, 1,
              "assumption: membership shares are surveyed (Orozco & Garcia-Zanello 2009: 4-57% by diaspora), "
              "leaving rates need panels that were not found",
              "chance of leaving an association"},
             s.leave_rate);
    v.number({"contribute_prob", "1/month", 0, 1,
              "assumption: no contribution frequency found; 3x1 programme records (SEDESOL) could fit it "
              "with fact 6",
              "chance an association member contributes in a month"},
             s.contribute_prob);
    v.number({"contribution_usd", "USD", 0, 1e6, "Orozco & Garcia-Zanello (2009), approx.",
              "amount of one contribution"},
             s.contribution_usd);
    v.number({"match_response", "1/ratio", 0, 10, "Aparicio & Meseguer (2012), assumption size",
              "relative rise in the chance to contribute per unit of matching ratio"},
             s.match_response);
    v.number({"approval_share", "share", 0, 1, "3x1 2009-2011: 100/(3*36) = 0.93",
              "share of contributions in approved, hence matched, projects"},
             s.approval_share);
    v.number({"depreciation", "1/month", 0, 1,
              "Kamps (2004), New estimates of government net capital stocks for 22 OECD countries "
              "1960-2001, IMF Working Paper 04/67: government fixed assets depreciate at 4% a year by 2001, "
              "1 - 0.96^(1/12) = 0.0034",
              "depreciation of the community development stock"},
             s.depreciation);
    v.number({"development_return", "1/month", 0, 1,
              "assumption (about 10% a year): returns to rural public works are often higher (Fan, Hazell & "
              "Thorat 2000, India), while Aparicio & Meseguer (2012) find small effects of 3x1 spending on "
              "Mexican municipalities; the evidence brackets it without pinning it",
              "income a community's households gain each month per dollar of its development stock, shared "
              "equally among them"},
             s.development_return);
}

struct InvestSpec {
    double saving_share = 0.1;
    double threshold_usd = 3000;
    double intercept = -5.5;
    double trust = 4.0;
    double income = 6.0;
    double share = 0.3;
    double conflict = -2.0;
    double return_rate = 0.005;
    double depreciation = 0.0013;
};
template <class V> void visit(V& v, InvestSpec& s) {
    v.number({"saving_share", "share", 0, 1,
              "assumption: no migrant saving rate verified (Amuedo-Dorantes & Pozo 2002, Southern Economic "
              "Journal 69(1), on immigrants' precautionary saving, is the lead)",
              "share of a member's income saved"},
             s.saving_share);
    v.number({"threshold_usd", "USD", 0, 1e9,
              "assumption: recorded inflows do not separate investment; Woodruff & Zenteno (2007, JDE 82) "
              "document migrants' capital in Mexican microenterprises, not a threshold",
              "savings needed before investing at origin, at start prices (grows with the host's earnings)"},
             s.threshold_usd);
    v.number({"intercept", "logit", -30, 30,
              "assumption: recorded inflows do not separate investment from other transfers",
              "log-odds of investing in a month"},
             s.intercept);
    v.number({"trust", "logit/unit", -50, 50,
              "assumption: no estimate of trust's effect on diaspora investment found",
              "effect of trust (centred at 0.5) on investing"},
             s.trust);
    v.number({"income", "logit/unit", -50, 50, "assumption (fact 8)",
              "effect of the log of current over usual earnings on investing"},
             s.income);
    v.number({"share", "share", 0, 1, "assumption: no estimate found", "share of savings invested at once"},
             s.share);
    v.number({"return_rate", "1/month", 0, 1,
              "assumption (about 6% a year): diaspora investment is mostly housing and land, whose rental "
              "yields are of that order, and some small business, whose returns are far higher (de Mel, "
              "McKenzie & Woodruff 2008: 5.7% a month in Sri Lankan microenterprises)",
              "income the investor's household earns each month per dollar of its invested stock"},
             s.return_rate);
    v.number({"depreciation", "1/month", 0, 1,
              "Kamps (2004), IMF Working Paper 04/67: private residential fixed assets depreciate at 1.5% a "
              "year; diaspora investment is mostly housing and land (return_rate): 1 - 0.985^(1/12) = 0.0013",
              "depreciation of households' invested stock"},
             s.depreciation);
    v.number({"conflict", "logit", -50, 50,
              "assumption: no estimate of conflict's effect on diaspora investment found",
              "effect of an origin conflict on investing"},
             s.conflict);
}

struct BondSpec {
    double intercept = -7.9;
    double trust = 8.0;
    double coupon = 20.0;
    double awareness = 2.0;
    double ticket_share = 0.05;
    double marketing_rate = 0.2;
};
template <class V> void visit(V& v, BondSpec& s) {
    v.number({"intercept", "logit", -30, 30, "calibrated (fact 7)",
              "log-odds of subscribing in a month of an open window"},
             s.intercept);
    v.number({"trust", "logit/unit", -100, 100, "Ketkar & Ratha (2009), assumption size",
              "effect of trust (centred at 0.5)"},
             s.trust);
    v.number({"coupon", "logit/unit", -500, 500,
              "assumption: diaspora bond issues are described (Ketkar & Ratha 2009) without elasticities; "
              "single issues (e.g. Nigeria 2017) could calibrate it",
              "effect of the coupon rate"},
             s.coupon);
    v.number({"awareness", "logit/unit", -50, 50, "assumption: no estimate found", "effect of awareness"},
             s.awareness);
    v.number({"ticket_share", "share", 0, 1, "assumption: no estimate found",
              "share of savings subscribed (at least the minimum ticket)"},
             s.ticket_share);
    v.number({"marketing_rate", "1/month", 0, 1, "assumption: no estimate found",
              "share of the gap in awareness of a bond closed per month of marketing, per unit of marketing"},
             s.marketing_rate);
}

struct SkillsSpec {
    double intercept = -3.0;
    double awareness = 3.0;
    double attachment = 2.0;
    double human_capital_gain = 0.02;
    double human_capital_decay = 0.002;
    double human_capital_base = 0.5;
    double human_capital_income = 0.2;
};
template <class V> void visit(V& v, SkillsSpec& s) {
    v.number({"intercept", "logit", -30, 30,
              "assumption: no evaluation of MIDA-type programmes with participation rates found",
              "log-odds a skilled member volunteers in a month of an open programme"},
             s.intercept);
    v.number({"awareness", "logit/unit", -50, 50, "assumption: no estimate found", "effect of awareness"},
             s.awareness);
    v.number({"attachment", "logit/unit", -50, 50, "assumption: no estimate found", "effect of attachment"},
             s.attachment);
    v.number({"human_capital_gain", "index/person-month/100 households", 0, 10,
              "assumption: no evaluation measuring human capital gained per volunteer month found",
              "rise of a community's human-capital index per person-month per 100 households"},
             s.human_capital_gain);
    v.number({"human_capital_decay", "1/month", 0, 1, "assumption: no estimate found",
              "pull of the index back to its base"},
             s.human_capital_decay);
    v.number({"human_capital_base", "index", 0, 1, "assumption: a normalisation of the index",
              "human-capital index without transfers"},
             s.human_capital_base);
    v.number({"human_capital_income", "1/index", 0, 10,
              "assumption (a rise of the index from 0.5 to 0.55, the most a large programme achieves in a "
              "decade here, adds 1% to incomes, about a tenth of a year of schooling at the 9-10% returns "
              "of Psacharopoulos & Patrinos 2018)",
              "relative rise of a community's household incomes per unit of its human-capital index above "
              "the base"},
             s.human_capital_income);
}

struct CrisisSpec {
    double donate_prob = 0.1;
    double donation_usd = 75;
    double attachment_weight = 2.0;
    std::int64_t reconstruction_months = 12;
    double reconstruction_boost = 1.0;
};
template <class V> void visit(V& v, CrisisSpec& s) {
    v.number({"donate_prob", "1/month", 0, 1,
              "assumption: only a catastrophe's giving is measured (Bendixen & Amandi 2010: 78% of Haitian "
              "Americans gave within two weeks of the 2010 earthquake); at the mean attachment (0.6, "
              "attachment_weight 2) 0.1 gives 12% a month and 78% within a year, so a catastrophe's first "
              "weeks are understated; no figure for lesser crises found (IOM IDM 22, ch. V)",
              "chance a member donates to relief in a month of an origin crisis"},
             s.donate_prob);
    v.number({"donation_usd", "USD", 0, 1e6,
              "Bendixen & Amandi poll of 400 Haitian Americans for New America Media, 22-24 January 2010: "
              "78% had given to the earthquake's victims, on average US$75",
              "amount of one relief donation"},
             s.donation_usd);
    v.number({"attachment_weight", "1/unit", 0, 100, "assumption: no estimate found",
              "donation chance is donate_prob times this times attachment (at most 1)"},
             s.attachment_weight);
    v.integer({"reconstruction_months", "months", 0, 600,
               "Yang (2008, B.E. Journal of Economic Analysis & Policy 8(1)): remittances respond to "
               "hurricanes over about three years; Makhlouf & Selmi (2024, World Economy): Pakistan's "
               "response fades within about five months; 12 lies in that range",
               "months after a disaster during which investment is boosted"},
              s.reconstruction_months);
    v.number({"reconstruction_boost", "logit", -10, 10, "assumption: no estimate found",
              "rise in the log-odds of investing during reconstruction"},
             s.reconstruction_boost);
}

struct HouseholdSpec {
    double consume_income = 0.9;
    double consume_remittances = 0.75;
    double smoothing = 0.5;
    double expectation_rate = 0.1;
};
template <class V> void visit(V& v, HouseholdSpec& s) {
    v.number({"consume_income", "share", 0, 1,
              "assumption within the published range: national saving is under 15% of disposable income in "
              "Sub-Saharan Africa and over 30% in East Asia (Loayza, Schmidt-Hebbel & Serven 2000, World "
              "Bank Economic Review 14(3)), households' own part lower; a 10% saving rate",
              "share of own income consumed"},
             s.consume_income);
    v.number({"consume_remittances", "share", 0, 1, "IFAD (2017): about 75%",
              "share of remittances received that is consumed"},
             s.consume_remittances);
    v.number({"smoothing", "share", 0, 1, "assumption (buffer-stock saving)",
              "share of a consumption shortfall covered from savings"},
             s.smoothing);
    v.number({"expectation_rate", "1/month", 0, 1,
              "assumption, weakly supported: the effect of a 10-week fee discount persisted 20 weeks after "
              "it ended (Ambler, Aycinena & Yang 2014, working paper), consistent with a reference adapting "
              "at 0.1-0.2 a month",
              "speed at which usual receipts follow actual receipts"},
             s.expectation_rate);
}

struct SlowSpec {
    double attachment_erosion = 0.004;
    double trust_adjustment = 0.02;
    double awareness_floor = 0.0;
};
template <class V> void visit(V& v, SlowSpec& s) {
    v.number({"attachment_erosion", "1/month", 0, 1,
              "assumption (~5%/year): attachment is a latent scale; the share of US Latino immigrants who "
              "send is flat from under 6 to 19 years abroad (48-49%) and 31% after 20 years (Gallup 2009), "
              "and the amount remitted shows little decay with time abroad (Bollard, McKenzie & Morten 2010, "
              "World Bank Policy Research Working Paper 5260): slower erosion than this, if attachment alone "
              "moved them",
              "monthly erosion of attachment without engagement"},
             s.attachment_erosion);
    v.number({"trust_adjustment", "1/month", 0, 1,
              "assumption: no estimate of how fast diaspora trust follows institutions found",
              "speed at which trust moves to governance plus programme effects"},
             s.trust_adjustment);
    v.number(
        {"awareness_floor", "0-1", 0, 1, "assumption (0: no floor)", "awareness never decays below this"},
        s.awareness_floor);
}

struct BehaviourSpec {
    LabourSpec labour;
    InformationSpec information;
    RemitSpec remit;
    CollectiveSpec collective;
    InvestSpec invest;
    BondSpec bond;
    SkillsSpec skills;
    CrisisSpec crisis;
    HouseholdSpec household;
    SlowSpec slow;
};
template <class V> void visit(V& v, BehaviourSpec& s) {
    v.section("labour", "employment and earnings (phase 2)", s.labour);
    v.section("information", "diffusion over the social layer (phase 3)", s.information);
    v.section("remit", "individual remittances and channel choice (phase 4)", s.remit);
    v.section("collective", "associations and matching (phase 5)", s.collective);
    v.section("invest", "saving and investment at origin (phase 6)", s.invest);
    v.section("bond", "diaspora bond subscriptions (phase 6)", s.bond);
    v.section("skills", "knowledge transfer (phase 7)", s.skills);
    v.section("crisis", "crisis response (phase 8)", s.crisis);
    v.section("household", "origin household budgets (phase 10)", s.household);
    v.section("slow", "slow state: attachment and trust (phase 11)", s.slow);
}

// ------------------------------------------------------------- policies ----------------------

/// Who a lever or shock reaches. Empty lists mean "all".
struct TargetSpec {
    bool all = false; // every corridor of the scenario, whoever applies the lever
    std::vector<std::string> origins;
    std::vector<std::string> hosts;
    std::vector<std::string> skills; // low, mid, high
};
template <class V> void visit(V& v, TargetSpec& s) {
    v.flag({"all", "bool", 0, 0, "scenario",
            "reach every corridor of the scenario (origins and hosts must then be empty)"},
           s.all);
    v.codes({"origins", "ISO3 list", 0, 0, "scenario", "origins reached (default: all)"}, s.origins);
    v.codes({"hosts", "ISO3 list", 0, 0, "scenario", "hosts reached (default: all)"}, s.hosts);
    v.codes({"skills", "list of low/mid/high", 0, 0, "scenario", "skill groups (default: all)"}, s.skills);
}

/// One lever: its kind and own fields (core/policy/levers/), and what every lever has.
struct PolicySpec {
    LeverParams params; // which kind, with its own fields; std::monostate when none was read
    std::string by;
    TargetSpec target;
    YearMonth from{0, 1}; // {0, 1}: the scenario's start (resolved by the reader)
    YearMonth to{2300, 12};
    double cost_usd_per_month = 0;
    double partner_share = 0;

    PolicySpec() = default;
    template <class Lever>
    explicit PolicySpec(Lever lever, std::string state = "")
        : params(std::move(lever)), by(std::move(state)) {}
    /// The lever's own fields as kind T (which it must hold).
    template <class T> [[nodiscard]] T& as() { return std::get<T>(params); }
    template <class T> [[nodiscard]] const T& as() const { return std::get<T>(params); }
};

template <class V> void visit(V& v, PolicySpec& s) {
    std::string kind = LeverKinds::name(s.params);
    v.choice({"kind", "name", 0, 0, "docs/model.md section 7.1", "which lever", true}, kind,
             LeverKinds::names());
    LeverKinds::set(s.params, kind);
    v.text({"by", "ISO3", 0, 0, "scenario", "state that applies and pays for the lever", true}, s.by);
    v.section("target", "whom the lever reaches", s.target);
    v.month({"from", "YYYY-MM", 0, 0, "scenario", "first month (default: the start)"}, s.from);
    v.month({"to", "YYYY-MM", 0, 0, "scenario", "last month (default: open-ended)"}, s.to);
    v.number({"cost_usd_per_month", "USD/month", 0, 1e12, "scenario", "fixed running cost to the state"},
             s.cost_usd_per_month);
    v.number({"partner_share", "share", 0, 1, "scenario",
              "share of all costs paid by partners (IOs, private sector, civil society)"},
             s.partner_share);
    LeverKinds::with(s.params, [&](auto& lever) { lever.fields(v); });
}

// ------------------------------------------------------------- shocks ------------------------

/// One shock: its kind and own fields (core/policy/shocks/), and what every shock has.
struct ShockSpec {
    ShockParams params;                 // which kind, with its own fields; std::monostate when none was read
    std::vector<std::string> countries; // empty: none, or all for a kind that hits every country by default
    YearMonth from{};
    std::int64_t months = 12;

    ShockSpec() = default;
    template <class Shock>
    explicit ShockSpec(Shock shock, std::vector<std::string> hit = {}, YearMonth onset = {},
                       std::int64_t length = 12)
        : params(std::move(shock)), countries(std::move(hit)), from(onset), months(length) {}
    /// The shock's own fields as kind T (which it must hold).
    template <class T> [[nodiscard]] T& as() { return std::get<T>(params); }
    template <class T> [[nodiscard]] const T& as() const { return std::get<T>(params); }
};

template <class V> void visit(V& v, ShockSpec& s) {
    std::string kind = ShockKinds::name(s.params);
    v.choice({"kind", "name", 0, 0, "docs/model.md section 7.1", "which shock", true}, kind,
             ShockKinds::names());
    ShockKinds::set(s.params, kind);
    v.codes({"countries", "ISO3 list", 0, 0, "scenario",
             "countries hit (required except for a pandemic, which defaults to all)"},
            s.countries);
    v.month({"from", "YYYY-MM", 0, 0, "scenario", "onset", true}, s.from);
    v.integer({"months", "months", 1, 1200, "scenario", "duration"}, s.months);
    ShockKinds::with(s.params, [&](auto& shock) { shock.fields(v); });
}

// ------------------------------------------------------------- scenario ----------------------

struct OutputSpec {
    bool corridors = true;
    std::int64_t compression = 4;
};
template <class V> void visit(V& v, OutputSpec& s) {
    v.flag({"corridors", "bool", 0, 0, "scenario", "write the /corridors group"}, s.corridors);
    v.integer({"compression", "gzip level", 0, 9, "scenario", "deflate level of datasets"}, s.compression);
}

// ------------------------------------------------------------- real-world data -------------

/// Countries and corridors built from the tidy files of tools/import-world-data (UN DESA and
/// World Bank data; docs/world-data.md). Empty `data`: the scenario lists its own.
struct WorldSpec {
    std::string data;                        // folder holding countries.csv and corridors.csv
    std::string stock = "un_2020";           // which stock: wb_2017, un_2019 or un_2020
    double scale = 0;                        // persons per member; 0: the scenario's 'scale'
    std::int64_t top = 0;                    // keep the N largest corridors by stock; 0: all
    std::string region;                      // keep corridors whose origin lies in this UN region; "": all
    std::vector<std::string> origins, hosts; // keep only corridors of these origins / hosts
    double min_stock = 100;                  // drop corridors with fewer migrants
    double cost_formal = 0.065;              // where no cost is known for the corridor or its host
    double gdp_per_capita_usd = 0;           // where no GDP is known; 0: the median of the country's region
    double growth = 0.02;                    // real income growth of every country
    std::string propensity;                  // CSV of origin,host,propensity; "": every corridor 1
    bool history = false;                    // observed paths from the history tables
};

inline const std::vector<std::string>& world_stocks() {
    static const std::vector<std::string> s = {"wb_2017", "un_2019", "un_2020"};
    return s;
}

template <class V> void visit(V& v, WorldSpec& s) {
    v.text({"data", "folder", 0, 0, "tools/import-world-data",
            "folder of countries.csv and corridors.csv, relative to the scenario file"},
           s.data);
    v.choice({"stock", "name", 0, 0, "UN DESA (2019, 2020), World Bank (2017)",
              "which bilateral stock sets the corridors: wb_2017, un_2019 or un_2020 (2019 scaled to 2020 "
              "destination totals)"},
             s.stock, world_stocks());
    v.number({"scale", "persons/agent", 0, 1e9, "scenario",
              "persons each member stands for (1: every migrant); 0 keeps the top-level 'scale'"},
             s.scale);
    v.integer(
        {"top", "corridors", 0, 1e6, "scenario", "keep only the N largest corridors by stock; 0 keeps all"},
        s.top);
    v.text({"region", "UN region", 0, 0, "UN DESA", "keep only corridors whose origin lies in this region"},
           s.region);
    v.codes({"origins", "ISO3 list", 0, 0, "scenario", "keep only corridors from these origins"}, s.origins);
    v.codes({"hosts", "ISO3 list", 0, 0, "scenario", "keep only corridors to these hosts"}, s.hosts);
    v.number({"min_stock", "persons", 0, 1e9, "scenario (a selection of corridors, not behaviour)",
              "drop corridors with fewer migrants"},
             s.min_stock);
    v.number({"cost_formal", "share", 0, 0.5, "World Bank RPW global average 2017 (about 7%), approx.",
              "formal cost of a corridor with no cost in the data and no other corridor of its host"},
             s.cost_formal);
    v.number({"gdp_per_capita_usd", "USD/year", 0, 1e6,
              "scenario (a fill rule for missing data, docs/world-data.md)",
              "GDP per capita of a country without one; 0 takes the median of its region"},
             s.gdp_per_capita_usd);
    v.number({"growth", "1/year", -0.5, 0.5,
              "scenario (real growth of every country without an observed path)",
              "real income growth of every country"},
             s.growth);
    v.text({"propensity", "file", 0, 0, "bridges calibrate --per-corridor (a fit, not a prediction)",
            "CSV file of origin,host,propensity relative to the scenario file: each listed corridor's "
            "amount multiplier; corridors not listed keep 1"},
           s.propensity);
    v.flag({"history", "bool", 0, 0, "tools/import-world-data (history_*.csv; docs/history.md)",
            "drive the world by what was observed: countries start at their values of the start year "
            "and follow their GDP per capita, exchange rate, prices, unemployment and inclusion month by "
            "month; corridors follow their UN DESA stocks and their costs; corridors are kept whose "
            "largest stock over the run reaches min_stock"},
           s.history);
}

struct Scenario {
    std::int64_t schema_version = 1;
    std::string name = "scenario";
    std::string description;
    YearMonth start{2017, 1};
    std::int64_t months = 120;
    std::int64_t seed = 1;
    double scale = 100;
    std::vector<CountrySpec> countries;
    std::vector<CorridorSpec> corridors;
    WorldSpec world;
    PopulationSpec population;
    NetworkSpec network;
    BehaviourSpec behaviour;
    std::vector<PolicySpec> policies;
    std::vector<ShockSpec> shocks;
    OutputSpec output;
    std::string world_source; // the data folder a world block came from (not a key of the file)
};

template <class V> void visit(V& v, Scenario& s) {
    v.integer({"schema_version", "version", 1, 1, "docs/scenarios.md", "scenario format version", true},
              s.schema_version);
    v.text({"name", "text", 0, 0, "scenario", "run name; default output out/<name>.h5", true}, s.name);
    v.text({"description", "text", 0, 0, "scenario", "free text"}, s.description);
    v.month({"start", "YYYY-MM", 0, 0, "scenario", "first simulated month"}, s.start);
    v.integer({"months", "months", 1, 1200, "scenario", "horizon"}, s.months);
    v.integer({"seed", "integer", 0, 4294967295.0, "scenario", "random seed"}, s.seed);
    v.number({"scale", "persons/agent", 1e-3, 1e9, "scenario", "persons each simulated member stands for"},
             s.scale);
    v.list("countries", "states: hosts, origins or both", s.countries);
    v.list("corridors", "origin -> host migrant stocks and costs", s.corridors);
    v.section("world", "countries and corridors from real-world data (instead of the two lists)", s.world);
    v.section("population", "how members and households are generated", s.population);
    v.section("network", "the social layer", s.network);
    v.section("behaviour", "parameters of every behaviour", s.behaviour);
    v.list("policies", "3E levers", s.policies);
    v.list("shocks", "crises", s.shocks);
    v.section("output", "what the output file holds", s.output);
}

} // namespace bridges::core
