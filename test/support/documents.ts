/** A minimal OPC UA collector document (SiteWise User Guide example) with the given endpoint. */
export function opcUaDocument(endpointUri: string = 'opc.tcp://203.0.113.0:49320', name: string = 'Wind Farm #1'): string {
  return JSON.stringify({
    sources: [{
      name,
      endpoint: {
        certificateTrust: { type: 'TrustAny' },
        endpointUri,
        securityPolicy: 'NONE',
        messageSecurityMode: 'NONE',
        identityProvider: { type: 'Anonymous' },
        nodeFilterRules: [],
      },
      measurementDataStreamPrefix: '',
      destination: { type: 'MQTT' },
    }],
  });
}
