"""Every B2B row of the catalogue, through a client generated from isosim's WSDL (zeep): the WSDL
and the XSDs it imports load, the operation carries CAISO's name, and a valid call succeeds, with
the pack's test certificate and a signed CAISOWSHeader (Production is strict). A document that
breaks the operation's XSD gets a SOAP fault naming it. Then each row answers in every other
environment that has its application."""

from __future__ import annotations

import base64
import gzip
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from isosim.caiso import catalogue
from isosim.caiso.b2b import spec
from isosim.caiso.b2b.schemas import plan
from isosim.core.packs import User
from tests.caiso.b2b.conftest import (
    b2b_endpoints,
    call,
    generated_client,
    output,
    result_of,
    returned,
    sample_record,
    sample_request,
    submission,
    transaction_of,
    valid,
    zeep_arguments,
)
from tests.caiso.soap.conftest import NOW, fault

BRAVO = User(
    name="sc-bravo-ops", certificate_subject="CN=sc-bravo-ops, OU=Operations, O=Bravo Power Cooperative, C=US"
)

ENDPOINTS = b2b_endpoints()
APPS = sorted({e.app for e in ENDPOINTS})


def _document(name: str) -> bytes:
    """A valid document for the endpoint: a request, or a submission of one record."""
    current = plan(next(e for e in ENDPOINTS if e.name == name))
    if current.operation.kind == "submit":
        dataset = spec.dataset(current.operation.dataset)
        refs = {ref: "none" for ref in dataset.references}
        return submission(name, [sample_record(dataset, refs)])
    return sample_request(name)


def _prepare(soap: TestClient, name: str, environment: str = "Production") -> bytes:
    """The document to send, after whatever it depends on exists (the outage a change request
    changes, the bids an action cancels, the submission a status query asks about)."""
    current = plan(next(e for e in ENDPOINTS if e.name == name))
    operation = current.operation
    if operation.kind == "submit":
        dataset = spec.dataset(operation.dataset)
        refs = {ref: _submit_one(soap, ref, environment) + "-1" for ref in dataset.references}
        return submission(name, [sample_record(dataset, refs)])
    if operation.kind == "action":
        return sample_request(name, transactionId=_submit_one(soap, operation.datasets[0], environment))
    if operation.kind == "status":
        submit = next(
            e
            for e in ENDPOINTS
            if e.app == operation.app and spec.operation(e.app, e.base_operation).kind == "submit"
        )
        transaction = _submit_one(
            soap, spec.operation(submit.app, submit.base_operation).dataset, environment
        )
        return sample_request(name, transactionId=transaction)
    return sample_request(name)


def _submit_one(soap: TestClient, dataset_name: str, environment: str) -> str:
    """Submit one sample record of the dataset (through its first DocAttach submit); its transaction id."""
    submit = next(
        e
        for e in ENDPOINTS
        if spec.operation(e.app, e.base_operation).kind == "submit"
        and spec.operation(e.app, e.base_operation).dataset == dataset_name
        and e.variant == "DocAttach_AP"
    )
    dataset = spec.dataset(dataset_name)
    refs = {ref: _submit_one(soap, ref, environment) + "-1" for ref in dataset.references}
    response = call(soap, submit.name, submission(submit.name, [sample_record(dataset, refs)]), environment)
    return transaction_of(output(response))


def _answer_body(answer: Any) -> Any:
    """zeep returns {header, body} where the output declares SOAP headers, else the body itself."""
    return answer.body if hasattr(answer, "body") and hasattr(answer, "header") else answer


def _result(answer: Any) -> str:
    """The first event result of a submission's or action's answer, as zeep unwraps it."""
    body = _answer_body(answer)
    if isinstance(body, list):  # outputDataType unwrapped to its EventLog list
        return body[0].Event[0].result
    if hasattr(body, "EventLog"):
        logs = body.EventLog
        return (logs[0] if isinstance(logs, list) else logs).Event[0].result
    return body.MessagePayload.EventLog.Event.result  # OutageStandardOutput, StandardOutput v1


def _decoded(value: bytes | str) -> etree._Element:
    text = value if isinstance(value, bytes) else value.encode()
    return etree.fromstring(gzip.decompress(base64.b64decode(text)))


def _call_generated(soap: TestClient, found: catalogue.Endpoint) -> None:
    current = plan(found)
    generated = generated_client(soap, found)
    service = generated.client.wsdl.services[next(iter(generated.client.wsdl.services))]
    assert len(service.ports) == 1
    port = next(iter(service.ports.values()))
    assert list(port.binding._operations) == [found.operation]
    operation = getattr(generated.client.service, found.operation)
    document = _prepare(soap, found.name)
    kind = current.operation.kind
    if kind == "submit":
        if current.doc_attach:
            answer = operation(AttachmentValue=base64.b64encode(gzip.compress(document)).decode())
        elif current.mtom:
            answer = operation(attachmentData=generated.attach_inline(document))
        else:  # the document rides in a SwA part; the Body is empty
            generated.attach(document)
            answer = operation()
        assert _result(answer) == "SCSS0001"
    elif kind == "action":
        assert _result(operation(**zeep_arguments(document))) == "SCSS0001"
    elif current.rpc:
        # CAISO's rpc WSDLs bind the answer's part to a MIME attachment, which zeep cannot read into
        # objects: the raw answer is read here, as a zeep user does (raw_response).
        with generated.client.settings(raw_response=True):
            response = operation(requestData=zeep_arguments(document))
        found_document = returned(response)
        assert valid(found_document, current), current.outgoing.schema.error_log  # type: ignore[union-attr]
    else:
        body = _answer_body(operation(**zeep_arguments(document)))
        value = (
            body
            if isinstance(body, bytes | str)
            else getattr(body, "AttachmentValue", None) or body.attachmentData
        )
        found_document = _decoded(value)
        assert valid(found_document, current), current.outgoing.schema.error_log  # type: ignore[union-attr]


@pytest.mark.parametrize("application", APPS)
def test_a_generated_client_calls_every_endpoint_of_the_application(
    soap: TestClient, application: str
) -> None:
    for found in ENDPOINTS:
        if found.app == application:
            _call_generated(soap, found)


@pytest.mark.parametrize("application", APPS)
def test_a_document_against_the_xsd_gets_a_fault_naming_it(soap: TestClient, application: str) -> None:
    for found in ENDPOINTS:
        if found.app != application:
            continue
        current = plan(found)
        broken = _document(found.name).replace(b"<MessagePayload>", b"<MessagePayload><Unexpected/>", 1)
        response = call(soap, found.name, broken)
        code, text, description = fault(response)
        assert response.status_code == 500 and code == "soapenv:Client", found.name
        assert f"is not valid against {current.incoming.filename}" in text, (found.name, text)
        assert description == text


@pytest.mark.parametrize("environment", ["Production ECN", "MAP Stage", "Sandbox"])
def test_every_b2b_endpoint_answers_in_each_environment_that_has_it(
    soap: TestClient, environment: str
) -> None:
    failures = []
    for found in ENDPOINTS:
        if found.app not in catalogue.bases()[environment]:
            continue
        current = plan(found)
        response = call(soap, found.name, _prepare(soap, found.name, environment), environment)
        if response.status_code != 200:
            failures.append((found.name, response.status_code, response.text[:300]))
        elif current.outgoing is not None:
            if not valid(returned(response), current):
                failures.append((found.name, "invalid document"))
        else:
            result_of(output(response))
    assert not failures, failures[:5]


# Each way a strict pack refuses a message (Production): the text CAISO answers with.
REFUSALS = {
    "unsigned": ({"signer": None}, "Signature validation status: false"),
    "expired": ({"created": NOW - timedelta(minutes=16)}, "CAISOUsernameToken Validation Error."),
    "signed-by-another-key": ({"signer": "sc-bravo-ops"}, "Signature validation status: false"),
    "another-users-header": ({"user": BRAVO}, "CAISOUsernameToken Validation Error."),
}


@pytest.mark.parametrize("application", APPS)
def test_strict_packs_refuse_badly_secured_messages_at_every_endpoint(
    soap: TestClient, application: str
) -> None:
    before = soap.get("/_isosim/snapshot?pack=caiso-production").json()
    for found in ENDPOINTS:
        if found.app != application:
            continue
        document = _document(found.name)
        for how, (options, words) in REFUSALS.items():
            response = call(soap, found.name, document, **options)
            assert response.status_code == 500, (found.name, how)
            assert fault(response)[1].startswith(words), (found.name, how, fault(response)[1])
    assert soap.get("/_isosim/snapshot?pack=caiso-production").json() == before  # nothing stored


@pytest.mark.parametrize("application", APPS)
def test_a_document_of_another_operation_gets_a_fault_naming_the_expected_one(
    soap: TestClient, application: str
) -> None:
    other = b'<RequestSomethingElse xmlns="http://www.caiso.com/soa/RequestSomethingElse_v1.xsd#"/>'
    for found in ENDPOINTS:
        if found.app != application:
            continue
        current = plan(found)
        response = call(soap, found.name, other, rpc=False)
        expected = f"{{{current.incoming.namespace}}}{current.incoming.root}"
        assert response.status_code == 500 and expected in fault(response)[1], (
            found.name,
            fault(response)[1],
        )


def test_every_b2b_row_of_the_catalogue_resolves_to_an_operation_and_documents() -> None:
    kinds = {plan(found).operation.kind for found in ENDPOINTS}
    assert kinds == {"submit", "retrieve", "action", "status"}
    # The seed's 279 SOAP rows but ADS's, and the two RetrieveRawBidSet rows CAISO's own client names.
    assert len(ENDPOINTS) == 279 - 21 + 2
