#   Licensed under the Apache License, Version 2.0 (the "License"); you may
#   not use this file except in compliance with the License. You may obtain
#   a copy of the License at
#
#        http://www.apache.org/licenses/LICENSE-2.0
#
#   Unless required by applicable law or agreed to in writing, software
#   distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#   WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#   License for the specific language governing permissions and limitations
#   under the License.

"""Secrets by what a name means: what job settings must never show.

The rule, one for every name (a property key, an option, a key=value
pair): a name is split into words (at ``.``, ``_``, ``-``, other
punctuation and a lower-to-upper case change) and it names a secret
when its **last word** is one of ``SECRET_WORDS``, or its last two words
are one of ``SECRET_PAIRS`` (the access and secret keys of OBS and of
Huawei's and AWS's SDKs). So ``fs.obs.secret.key``, ``jdbc.pwd``,
``obs.sk``, ``spark.ssl.keyStorePassword`` and ``--db-password`` are
secrets; ``mapreduce.job.output.key.class``, ``spark.ssl.keyStore`` and
``monkey_count`` are not.

The value of a secret is masked, where this plugin prints it, in:

* a mapping (``properties``, ``job_configs``): the value of a secret key;
* arguments (a list, or the one string MRS renders them as):
  ``key=value``, ``-Dkey=value`` (``-Dpassword=x`` too: a ``-D`` is
  judged by the name after it), a value that is itself one of these
  (``extraJavaOptions=-Dpassword=x``), ``--conf key=value``,
  ``--conf=key=value``, ``--name=value`` and the value after an option
  so named (``--db-password X``);
* text (error lines, the ``--debug`` request log): the same, in JSON and
  in flat ``key=value`` form, and the password of a URL
  (``scheme://user:password@host``).

Only output and logs are masked: the API always gets the real values.
What a service returns as data (SQL results) is never masked.
"""

import re

SECRET_WORDS = frozenset({
    'password', 'passwd', 'pwd', 'passphrase', 'secret', 'token',
    'credential', 'credentials', 'sk', 'ak', 'accesskey', 'secretkey',
    'apikey'})
SECRET_PAIRS = frozenset({('access', 'key'), ('secret', 'key'),
                          ('private', 'key'), ('api', 'key')})
MASK = '***'

_WORDS = re.compile(r'[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+')
# "name": "value" in JSON, and name=value as MRS renders properties in a
# string. A name starts where no name character precedes it, so each run
# of characters is tried once: the patterns stay linear on megabytes.
_JSON_PAIR = re.compile(r'"([^"\\]*)"(\s*:\s*)"(?:[^"\\]|\\.)*"')
_FLAT_PAIR = re.compile(
    r'(?<![\w.\-])([\w.\-]+)(\s*=\s*)([^,;}\]&\s"\']+)')
# An option, then its value: "--db-password", "x" in JSON; --db-password,
# x or --db-password x in text.
_JSON_OPTION = re.compile(
    r'"(--?[A-Za-z][\w.\-]*)"(\s*,\s*)"(?:[^"\\]|\\.)*"')
_FLAT_OPTION = re.compile(
    r'(?<![\w.\-])(--?[A-Za-z][\w.\-]*)(\s*,\s*|\s+)([^\s,\[\]{}"\']+)')
# Python's repr of a mapping or of keyword arguments, as OSC's --debug
# prints its configuration: 'name': 'value' and name='value'.
# A value holding ' is repr'd in double quotes.
_REPR_VALUE = r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_REPR_PAIR = re.compile(r"'([^'\\]*)'(\s*:\s*)" + _REPR_VALUE)
_REPR_KEYWORD = re.compile(r"(?<![\w.\-])([\w.\-]+)(=)" + _REPR_VALUE)
_URL_PASSWORD = re.compile(r'(://[^/\s:@]+:)([^/\s@]+)(@)')
# A whole string that is one key=value (an argument, a list item): the
# value is everything after the "=", spaces included.
_WHOLE_PAIR = re.compile(r'\s*([\w.\-]+)(\s*=)(.*)', re.DOTALL)
_OPTION = re.compile(r'--?[A-Za-z][\w.\-]*')
_JAVA_PROPERTY = re.compile(r'-D[A-Za-z]')


def words(name):
    """The words of a name, in lower case: ``keyStore`` -> key, store."""
    return [word.lower() for word in _WORDS.findall(str(name))]


def is_secret(name):
    """Whether ``name`` names a secret (see the module's rule).

    A Java system property as a program takes it, ``-D<name>``, is judged
    by its name: ``-Dpassword`` is a secret as ``password`` is.
    """
    name = str(name)
    if _JAVA_PROPERTY.match(name):
        name = name[2:]
    found = words(name)
    return bool(found) and (found[-1] in SECRET_WORDS
                            or tuple(found[-2:]) in SECRET_PAIRS)


def mask_mapping(value):
    """A copy of a properties object with the secret values masked."""
    if isinstance(value, dict):
        return {name: MASK if is_secret(name) else mask_mapping(item)
                for name, item in value.items()}
    if isinstance(value, list):
        masked, hide_next = [], False
        for item in value:
            if hide_next and isinstance(item, str):
                masked.append(MASK)
            else:
                masked.append(mask_mapping(item))
            hide_next = isinstance(item, str) and bool(
                _OPTION.fullmatch(item)) and is_secret(item)
        return masked
    if isinstance(value, str):
        whole = _WHOLE_PAIR.fullmatch(value)
        if whole and is_secret(whole.group(1)):
            return f'{whole.group(1)}{whole.group(2)}{MASK}'
        return mask_text(value)
    return value


def mask_text(text):
    """``text`` with the values of secrets masked (see the module)."""
    def json_pair(match):
        if not is_secret(match.group(1)):
            return match.group(0)
        return f'"{match.group(1)}"{match.group(2)}"{MASK}"'

    def flat_pair(match):
        if is_secret(match.group(1)):
            return f'{match.group(1)}{match.group(2)}{MASK}'
        # --conf=key=value: an inner key may be secret.
        parts = match.group(3).split('=')
        for index, name in enumerate(parts[:-1]):
            if is_secret(name):
                parts[index + 1:] = [MASK]
                break
        return f'{match.group(1)}{match.group(2)}{"=".join(parts)}'

    def option(match):
        if not is_secret(match.group(1)):
            return match.group(0)
        quote = '"' if match.group(0).startswith('"') else ''
        return f'{quote}{match.group(1)}{quote}{match.group(2)}' \
               f'{quote}{MASK}{quote}'

    def repr_pair(match):
        if not is_secret(match.group(1)):
            return match.group(0)
        return f"'{match.group(1)}'{match.group(2)}'{MASK}'"

    def repr_keyword(match):
        if not is_secret(match.group(1)):
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}'{MASK}'"

    text = _REPR_KEYWORD.sub(repr_keyword, _REPR_PAIR.sub(repr_pair, text))
    text = _JSON_OPTION.sub(option, _JSON_PAIR.sub(json_pair, text))
    text = _FLAT_PAIR.sub(flat_pair, text)
    text = _FLAT_OPTION.sub(option, text)
    return _URL_PASSWORD.sub(lambda m: f'{m.group(1)}{MASK}{m.group(3)}',
                             text)
