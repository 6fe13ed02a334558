export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', color: '#e6e6e6', background: '#0f1115', minHeight: '100vh', padding: 24 }}>
      <h1>LiveBreadth</h1>
      <p>The dashboard arrives with the dashboard issue; the pipeline runs from the command line today.</p>
    </main>
  );
}
