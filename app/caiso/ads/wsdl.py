"""The ADS WSDL (rpc/literal), written by the project from the operations the catalogue lists for
each version: adding an operation to services.tsv and SIGNATURES adds it here."""

from __future__ import annotations

from isosim.caiso.catalogue import Route
from isosim.caiso.soap.envelope import ADS_NAMESPACE

# operation -> (input parts, return type); types are XML Schema's or tns:ArrayOfString.
SIGNATURES: dict[str, tuple[tuple[tuple[str, str], ...], str]] = {
    "getDispatchBatchesSinceUID": ((("uid", "xsd:string"),), "tns:ArrayOfString"),
    "getDispatchBatch": ((("batchUID", "xsd:string"),), "xsd:base64Binary"),
    "getBatchHeader": ((("batchUID", "xsd:string"),), "xsd:base64Binary"),
    "validateDispatchBatch": ((("batchUID", "xsd:string"),), "xsd:boolean"),
    "getBatchStatus": ((("batchUID", "xsd:string"),), "xsd:int"),
    "isNewTrajData": ((), "xsd:boolean"),
    "getTrajectoryData": ((), "xsd:base64Binary"),
    "submitMSSLFRequest": ((("request", "xsd:base64Binary"),), "xsd:string"),
    "acceptInstruction": ((("batchUID", "xsd:string"), ("resourceId", "xsd:string")), "xsd:boolean"),
    "declineInstruction": (
        (("batchUID", "xsd:string"), ("resourceId", "xsd:string"), ("reasonCode", "xsd:string")),
        "xsd:boolean",
    ),
    "partialAcceptInstruction": (
        (("batchUID", "xsd:string"), ("resourceId", "xsd:string"), ("mw", "xsd:double")),
        "xsd:boolean",
    ),
}


def wsdl(route: Route, location: str) -> bytes:
    version = route.path.rstrip("/").rsplit("/", 1)[-1].upper()  # V6 or V7
    names = sorted(route.operations)
    messages, port, binding = [], [], []
    for name in names:
        parts, returns = SIGNATURES[name]
        inputs = "".join(f'<wsdl:part name="{p}" type="{t}"/>' for p, t in parts)
        messages.append(
            f'<wsdl:message name="{name}">{inputs}</wsdl:message>'
            f'<wsdl:message name="{name}Response"><wsdl:part name="return" type="{returns}"/></wsdl:message>'
        )
        port.append(
            f'<wsdl:operation name="{name}"><wsdl:input message="tns:{name}"/>'
            f'<wsdl:output message="tns:{name}Response"/></wsdl:operation>'
        )
        body = f'<soap:body use="literal" namespace="{ADS_NAMESPACE}"/>'
        binding.append(
            f'<wsdl:operation name="{name}"><soap:operation soapAction="" style="rpc"/>'
            f"<wsdl:input>{body}</wsdl:input><wsdl:output>{body}</wsdl:output></wsdl:operation>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<wsdl:definitions name="APIWebService{version}" targetNamespace="{ADS_NAMESPACE}" '
        f'xmlns:tns="{ADS_NAMESPACE}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" '
        'xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        f'<wsdl:types><xsd:schema targetNamespace="{ADS_NAMESPACE}"><xsd:complexType name="ArrayOfString">'
        '<xsd:sequence><xsd:element name="item" type="xsd:string" minOccurs="0" maxOccurs="unbounded"/>'
        "</xsd:sequence></xsd:complexType></xsd:schema></wsdl:types>"
        + "".join(messages)
        + f'<wsdl:portType name="APIWebService{version}PortType">{"".join(port)}</wsdl:portType>'
        f'<wsdl:binding name="APIWebService{version}Binding" type="tns:APIWebService{version}PortType">'
        '<soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>'
        + "".join(binding)
        + "</wsdl:binding>"
        f'<wsdl:service name="APIWebService{version}"><wsdl:port name="APIWebService{version}Port" '
        f'binding="tns:APIWebService{version}Binding"><soap:address location="{location}"/></wsdl:port>'
        "</wsdl:service></wsdl:definitions>\n"
    ).encode()
