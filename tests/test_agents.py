"""The agent check: one-agent acts of a claim, and claims that give such an act to different agents."""

from __future__ import annotations

import pytest

from contradict.agents import CAUSED, INITIATED, JOINT, MEDIATED, STRUCK_FIRST, Act, acts, conflicts, event_class, \
    resolve_agent, same_agent
from contradict.sources import SourceBook
from contradict.types import AgentConflict


@pytest.fixture(scope="module")
def book():
    return SourceBook.default()


@pytest.fixture(scope="module")
def read(nlp, book):
    """Text -> its acts, parsed with the session's spaCy pipeline (conftest ``nlp``)."""
    return lambda text, with_book=book: acts(nlp(text), with_book)


@pytest.fixture(scope="module")
def clash(read):
    """Two texts -> their agent conflicts."""
    return lambda a, b: conflicts(read(a), read(b))


def one(found: list[Act]) -> Act:
    assert len(found) == 1, found
    return found[0]


# -- acts: initiation --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, event, agent", [
    ("Ankara proposed the summit on energy prices.", "summit", "Turkey"),
    ("The negotiations were requested by Ankara.", "negotiations", "Turkey"),
    ("It was the Egyptians who asked for the phone call.", "call", "Egypt"),
    ("The Iranians expressed their desire to meet the envoy in Oman.", "meeting", "Iran"),
    ("The trade talks took place at the request of Seoul.", "talks", "South Korea"),
    ("The ministers will meet in Vienna at Tokyo's request.", "meeting", "Japan"),
    ("The Japanese side initiated the push for the new round of talks.", "talks", "Japan"),
    ("Hanoi made several requests for a meeting with the delegation.", "meeting", "Vietnam"),
    ("The meeting in Geneva was Madrid's initiative.", "meeting", "Spain"),
    ("Kyiv sought to meet the mediators before the vote.", "meeting", "Ukraine"),
    ("Warsaw pushed for a ceasefire on the second day.", "ceasefire", "Poland"),
])
def test_initiation_in_active_passive_and_noun_forms(read, text, event, agent):
    act = one(read(text))
    assert (act.act, act.event, act.agent) == (INITIATED, event, agent)


def test_the_act_keeps_the_phrase_as_written(read):
    act = one(read("According to the aide, the Canadian side proposed the call last month."))
    assert act.text == "the Canadian side proposed the call"
    assert act.agent == "Canada"


def test_people_and_bodies_resolve_through_the_source_book(read):
    assert one(read("Putin asked for the summit with the prime minister.")).agent == "Russia"
    assert one(read("The Kremlin requested the call.")).agent == "Russia"
    assert one(read("The talks were proposed by Trump.")).agent == "United States"
    assert one(read("The White House asked for the meeting.")).agent == "United States"


def test_without_the_book_people_stay_people_but_countries_resolve(read):
    empty = SourceBook()
    assert one(read("Putin asked for the summit.", empty)).agent == "putin"
    assert one(read("The Russians asked for the summit.", empty)).agent == "Russia"


def test_a_user_book_names_more_sides(read):
    mine = SourceBook.from_dict({"source": [{"name": "Ruritanian chancellery", "side": "Ruritania",
                                             "aliases": ["Strelsau"], "speakers": ["Rudolf Rassendyll"]}]})
    assert one(read("Rassendyll requested the talks.", mine)).agent == "Ruritania"
    assert one(read("The talks were requested by Strelsau.", mine)).agent == "Ruritania"


def test_an_unresolved_agent_is_its_lower_cased_head_phrase(read):
    assert one(read("The dock workers' union requested the meeting.")).agent == "dock workers' union"


@pytest.mark.parametrize("text, event, agent", [
    ("The proposal had come from the Canadian government.", "", "Canada"),
    ("The initiative came from Ottawa.", "", "Canada"),
    ("The idea for the summit originated in Tokyo.", "summit", "Japan"),
    ("The invitation to the negotiations came from Seoul.", "negotiations", "South Korea"),
    ("The ceasefire talks were convened on Cairo's initiative.", "talks", "Egypt"),
    ("The meeting was held at the invitation of Hanoi.", "meeting", "Vietnam"),
    ("Warsaw floated the idea of a summit.", "summit", "Poland"),
])
def test_the_source_of_a_proposal_or_invitation_initiated(read, text, event, agent):
    act = one(read(text))
    assert (act.act, act.event, act.agent) == (INITIATED, event, agent)


@pytest.mark.parametrize("text", [
    "It was Ottawa, not Mexico City, that had suggested the call.",
    "Ottawa, not Mexico, suggested the call.",
])
def test_a_contrast_gives_the_act_to_the_first_agent_alone(read, text):
    act = one(read(text))
    assert (act.act, act.event, act.agent) == (INITIATED, "call", "Canada")
    assert not act.joint


def test_a_refuted_clause_is_not_an_asserted_act(read):
    # the parser makes "assertion" the root and hangs "was untrue" on the refuted clause
    assert read("Kremlin spokesman Ivan Petrov's assertion that the American president had sought the summit "
                "and asked for it again and again was untrue.") == []
    assert read("The Kremlin aide's assertion that the American envoy had requested the call and pressed for it "
                "again and again was untrue.") == []
    # a semicolon ends the refuted clause: what follows is asserted
    act = one(read("It is untrue that Ankara asked for the talks; the Greek side proposed them."))
    assert (act.act, act.agent) == (INITIATED, "Greece")


# -- acts: mediation, striking first, causing ----------------------------------------------------------

@pytest.mark.parametrize("text, act, event, agent", [
    ("The prisoner swap was brokered by Doha.", MEDIATED, "exchange", "Qatar"),
    ("A Norway-brokered truce held through the weekend.", MEDIATED, "ceasefire", "norway"),
    ("The accord was reached through Egyptian mediation.", MEDIATED, "agreement", "Egypt"),
    ("The Qataris mediated the ceasefire agreement.", MEDIATED, "ceasefire", "Qatar"),
    ("Azerbaijani troops fired first near the village.", STRUCK_FIRST, "clash", "Azerbaijan"),
    ("Armenia was the first to open fire.", STRUCK_FIRST, "clash", "Armenia"),
    ("Serbian police fired the first shots.", STRUCK_FIRST, "clash", "Serbia"),
    ("The border skirmish was provoked by Pakistani soldiers.", STRUCK_FIRST, "clash", "Pakistan"),
    ("The pipeline explosion was caused by a gas leak.", CAUSED, "explosion", "gas leak"),
    ("Tehran was behind the tanker attacks.", CAUSED, "attack", "Iran"),
    ("The smugglers are to blame for the bombing.", CAUSED, "bombing", "smugglers"),
    ("Militants carried out the raid on the depot.", CAUSED, "attack", "militants"),
    ("Rioters set the warehouse on fire.", CAUSED, "fire", "rioters"),
    ("The rocket that hit the market was fired by Syrian government forces.", CAUSED, "missile", "Syria"),
    ("The depot fire was started by a petrol bomb thrown by Lebanese militiamen.", CAUSED, "fire", "Lebanon"),
])
def test_mediation_first_strikes_and_causes(read, text, act, event, agent):
    found = one(read(text))
    assert (found.act, found.event, found.agent) == (act, event, agent)


def test_a_caused_clash_is_a_first_strike(read):
    assert one(read("Eritrea was responsible for the border war.")).act == STRUCK_FIRST


# -- acts: what gives none ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Seoul did not request the meeting.",
    "Lisbon never asked for the talks.",
    "There was no request for talks from Lisbon.",
    "Oslo denied that it had asked for the meeting.",
    "It is untrue that the Spanish side proposed the summit.",
    "Claims that Tehran was behind the tanker attacks are a lie.",
    "If Tehran carried out the bombing, sanctions will follow.",
    "Nobody knows whether Tehran carried out the bombing.",
    "Ankara offered to mediate the dispute.",
    "The Dutch refused to broker the deal.",
    "The militia carried out no attacks that week.",
    "Hanoi accused Manila of staging the attack.",
    "I don't think Cairo asked for the talks.",
    "No request for a meeting came from Rome.",
    "The militia tried to burn the depot.",
    "The blast was caused by a Russian-made missile.",  # a weapon is not an agent, nor is where it was made
    "Lisbon as a rule does not turn down such invitations.",
    "The spokesman's assertion that Moscow had sought the meeting was untrue.",
])
def test_negated_or_unasserted_acts_give_no_act(read, text):
    assert read(text) == []


@pytest.mark.parametrize("text", [
    "Chile and Peru agreed to meet in Lima.",  # no single initiator
    "The two sides began to talk about the border.",  # beginning to talk is not initiating talks
    "Officials asked for more time.",  # not an event of talks
    "He requested the meeting.",  # a pronoun says nothing of who
    "The other side proposed the summit.",  # nor does a vague head
    "Police opened fire on the crowd.",  # opening fire, not first
    "The storm caused heavy damage.",  # damage is no event of the table
    "Denmark or Norway proposed the meeting.",  # a choice, not an agent
    "The idea originated in a cafe in Geneva.",  # a place that names no side
    "The idea came from Rome.",  # an idea of what?
    "Soldiers arrived because the regional council had invited them to guard the polls.",  # no event
])
def test_sentences_without_a_one_agent_act(read, text):
    assert read(text) == []


def test_joint_agents_are_kept_together(read):
    act = one(read("Egypt and Jordan proposed a summit on water."))
    assert act.joint and act.agent == "Egypt" + JOINT + "Jordan"
    assert one(read("Brazil, together with Mexico, requested the meeting.")).joint
    assert one(read("The Gulf states jointly brokered the deal.")).joint


def test_two_names_of_one_side_are_one_agent(read):
    assert not one(read("Putin and Lavrov asked for the meeting.")).joint


# -- conflicts -----------------------------------------------------------------------------------------

def test_the_initiator_of_a_meeting_given_to_two_sides(clash):
    found = clash("The American delegation initiated the push for the leaders' summit.",
                  "The Russians expressed their wish to meet the U.S. president in Alaska.")
    assert found == (AgentConflict(act=INITIATED, event="summit", agent_a="United States", agent_b="Russia",
                                   a="The American delegation initiated the push",
                                   b="The Russians expressed their wish to meet"),)


def test_the_side_that_pushed_for_talks_against_the_side_that_wished_to_meet(clash):
    found = clash("The American side initiated the push for the high-level talks.",
                  "The Russians voiced their desire to meet with President Biden.")
    assert [(c.act, c.agent_a, c.agent_b) for c in found] == [(INITIATED, "United States", "Russia")]


@pytest.mark.parametrize("a, b, agents", [
    ("The call with the chancellor took place at Rome's request.", "The Italians did not ask for it; "
     "the Spanish side requested the call.", ("Italy", "Spain")),
    ("Cairo asked for the talks.", "The talks were requested by Amman.", ("Egypt", "Jordan")),
    ("The truce was brokered by Doha.", "Turkish mediation produced the ceasefire.", ("Qatar", "Turkey")),
    ("Indian soldiers fired first in the valley.", "Chinese troops started the clash.", ("India", "China")),
    ("A gas leak caused the blast at the plant.", "Saboteurs carried out the explosion.", ("gas leak", "saboteurs")),
    ("Police fired first at the rally.", "Protesters started the clash with the police.", ("police", "protesters")),
    ("Athens proposed it.", "Ankara requested the meeting.", ("Greece", "Turkey")),  # unknown event meets a known one
    ("The proposal had come from Washington.", "The Kremlin requested the summit.", ("United States", "Russia")),
    ("It was Washington, not Moscow, that had proposed the talks.", "Moscow asked for the talks.",
     ("United States", "Russia")),
])
def test_conflicting_agents(clash, a, b, agents):
    found = clash(a, b)
    assert len(found) == 1, found
    assert (found[0].agent_a, found[0].agent_b) == agents


@pytest.mark.parametrize("a, b", [
    ("Moscow requested the talks.", "The Kremlin asked for the meeting."),  # one side, two names
    ("Putin proposed the call.", "The call was requested by Russia."),
    ("Protesters set the bus on fire.", "Masked protesters torched the bus."),  # one agent inside the other
    ("Rioters torched the bus.", "The bus was set alight by student demonstrators."),  # one kind of agent
    ("The call was made at Berlin's request.", "Germany, not Russia, proposed the telephone conversation."),
    ("Egypt and Jordan proposed the summit.", "Qatar proposed the summit."),  # joint agents
    ("Cairo asked for talks, and Amman asked for talks too.", "Doha asked for talks."),  # two agents in one claim
    ("Qatar brokered the ceasefire.", "Egypt brokered the prisoner exchange."),  # different events
    ("Qatar mediated the talks.", "Egypt requested the talks."),  # different acts
    ("Tehran did not request the meeting.", "Riyadh requested the meeting."),  # a negated act
    ("Athens proposed it.", "Ankara proposed it."),  # two unknown events
    ("The spokesman's assertion that Moscow had sought the meeting was untrue.", "Washington requested the meeting."),
])
def test_silent_pairs(clash, a, b):
    assert clash(a, b) == ()


def test_conflicts_are_symmetric_and_deduplicated():
    x = Act(INITIATED, "talks", "Russia", "Moscow asked for talks")
    y = Act(INITIATED, "meeting", "United States", "Washington requested the meeting")
    z = Act(INITIATED, "summit", "United States", "the summit was Washington's idea")
    assert len(conflicts([x], [y, z])) == 1
    assert conflicts([y], [x])[0].agent_a == "United States"


def test_helpers():
    assert event_class("summit") == event_class("call") == "talks"
    assert event_class("sabotage") == event_class("blast") == "attack"
    assert same_agent("protesters", "opposition protesters") and not same_agent("Russia", "United States")
    assert same_agent("rioters", "student demonstrators") and not same_agent("rioters", "police")
    assert resolve_agent("the Kremlin") == resolve_agent("Moscow") == resolve_agent("the Russian side") == "Russia"
    assert resolve_agent("Kim Jong Un") is None  # the acronym "UN" matches only in capitals
