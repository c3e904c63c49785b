"""Whether a person is a woman or a man, where the text makes it evident: a given name, an
honorific or a role word said with the name.

Only so that "she said" passes over the man named last and "he said" over the woman: a short
list of common given names that are rarely used for the other sex, not a census. A name on
neither list says nothing, and the pronoun falls back to position alone.
"""

from __future__ import annotations

FEMALE, MALE = "f", "m"

_FEMALE_NAMES = frozenset(
    """
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa margaret
    sandra ashley kimberly emily donna michelle carol amanda melissa deborah stephanie rebecca
    laura sharon cynthia kathleen amy shirley angela helen anna brenda pamela nicole emma
    samantha katherine christine debra rachel catherine carolyn janet ruth maria heather diane
    virginia julie joyce victoria olivia christina lauren joan evelyn judith megan cheryl
    andrea hannah martha jacqueline frances gloria ann anne teresa kathryn sara janice alice
    julia grace judy theresa beverly denise marilyn amber danielle rose brittany diana abigail
    natalie jane lori tiffany sophie sophia charlotte lucy harriet kate claire clare louise
    fiona joanna tessa yvette yvonne hazel estelle sheila maureen eileen bridget siobhan
    nicola jacqui liz paula elena marta marisol rosa carmen isabel lucia giulia francesca sofia
    ana ines natalia olga irina svetlana tatiana yulia anastasia ekaterina agnieszka katarzyna
    birgit annika astrid sigrid helga heidi ingrid greta kaja ursula marine segolene hillary
    condoleezza aisha fatima leila layla zainab priya sunita indira benazir mei yuki hana
    madonna kylie whitney nigella delia germaine doris edith agatha jk joanne caroline valerie
    """.split()
)
_MALE_NAMES = frozenset(
    """
    james john robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven steve paul andrew joshua kenneth ken kevin brian george
    timothy ronald edward jason jeffrey ryan jacob gary nicholas nick eric jonathan stephen
    larry justin scott brandon benjamin samuel gregory frank alexander raymond patrick jack
    dennis jerry tyler aaron jose adam henry nathan douglas zachary peter kyle walter ethan
    jeremy harold keith roger noah gerald carl terry sean arthur lawrence jesse dylan bryan
    joe billy bruce albert wayne roy ralph eugene vincent russell louis bobby philip johnny
    tony gordon alastair alistair liam neil ian iain graham colin nigel malcolm hugh hugo
    rupert giles oliver harry boris vladimir dmitry sergei sergey igor olaf emmanuel nicolas
    francois jacques gerhard helmut silvio mario giuseppe pedro carlos jorge luis miguel
    javier manuel antonio francisco ahmed mohammed muhammad hassan hussein omar tomas tom owen
    maurice francis dan trevor martin adrian mick jonas pavel keir rishi volodymyr xavier
    barack bill hans klaus jurgen dieter wolfgang fritz kurt rudolf ivan yuri alexei mikhail
    """.split()
)
_FEMALE_WORDS = frozenset(
    "mrs ms miss lady dame madam spokeswoman chairwoman congresswoman businesswoman actress "
    "queen princess duchess countess baroness wife widow mother daughter sister aunt".split()
)
_MALE_WORDS = frozenset(
    "mr sir lord spokesman congressman businessman king prince duke earl baron husband widower "
    "father son brother uncle".split()
)


def gender_of(given_name: str, words: tuple[str, ...] = ()) -> str:
    """ "f", "m" or "" for a person with this given name, said with these lower-case words
    (an honorific, role words)."""
    for word in words:
        if word in _FEMALE_WORDS:
            return FEMALE
        if word in _MALE_WORDS:
            return MALE
    name = given_name.lower()
    if name in _FEMALE_NAMES:
        return FEMALE
    if name in _MALE_NAMES:
        return MALE
    return ""
